CREATE TABLE "transmission_attempts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"transmission_id" uuid NOT NULL,
	"company_id" uuid NOT NULL,
	"generation" integer NOT NULL,
	"attempt" integer NOT NULL,
	"action" text NOT NULL,
	"status_code" integer,
	"outcome" text NOT NULL,
	"reason" text,
	"duration_ms" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "transmission_settings" (
	"company_id" uuid PRIMARY KEY NOT NULL,
	"provider" text NOT NULL,
	"base_url" text NOT NULL,
	"credentials_sealed" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "transmissions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"company_id" uuid NOT NULL,
	"invoice_id" uuid NOT NULL,
	"provider" text NOT NULL,
	"generation" integer DEFAULT 1 NOT NULL,
	"instance_id" uuid NOT NULL,
	"exchange_status" text DEFAULT 'queued' NOT NULL,
	"exchange_reason" text,
	"reporting_status" text DEFAULT 'pending' NOT NULL,
	"reporting_reason" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"acknowledged_at" timestamp with time zone,
	"provider_reference" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "transmission_attempts" ADD CONSTRAINT "transmission_attempts_transmission_id_transmissions_id_fk" FOREIGN KEY ("transmission_id") REFERENCES "public"."transmissions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transmission_attempts" ADD CONSTRAINT "transmission_attempts_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transmission_settings" ADD CONSTRAINT "transmission_settings_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transmissions" ADD CONSTRAINT "transmissions_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transmissions" ADD CONSTRAINT "transmissions_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "transmission_attempts_transmission_idx" ON "transmission_attempts" USING btree ("company_id","transmission_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "transmissions_invoice_key" ON "transmissions" USING btree ("company_id","invoice_id");--> statement-breakpoint
CREATE UNIQUE INDEX "transmissions_instance_key" ON "transmissions" USING btree ("instance_id");--> statement-breakpoint
CREATE INDEX "transmissions_due_idx" ON "transmissions" USING btree ("next_attempt_at") WHERE "transmissions"."exchange_status" in ('queued', 'submitted');