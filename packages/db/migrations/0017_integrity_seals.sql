CREATE TABLE "invoice_seals" (
	"invoice_id" uuid PRIMARY KEY NOT NULL,
	"company_id" uuid NOT NULL,
	"key_id" uuid NOT NULL,
	"position" bigint NOT NULL,
	"data_hash" text NOT NULL,
	"xml_format" text,
	"xml_hash" text,
	"previous_hash" text NOT NULL,
	"hash" text NOT NULL,
	"signature" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "seal_keys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"company_id" uuid NOT NULL,
	"algorithm" text NOT NULL,
	"private_key_enc" text NOT NULL,
	"public_key_pem" text NOT NULL,
	"last_position" bigint DEFAULT 0 NOT NULL,
	"last_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "companies" ADD COLUMN "is_finance_approver" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "companies" ADD COLUMN "seal_algorithm" text DEFAULT 'ecdsa-p256' NOT NULL;--> statement-breakpoint
ALTER TABLE "invoice_seals" ADD CONSTRAINT "invoice_seals_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoice_seals" ADD CONSTRAINT "invoice_seals_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoice_seals" ADD CONSTRAINT "invoice_seals_key_id_seal_keys_id_fk" FOREIGN KEY ("key_id") REFERENCES "public"."seal_keys"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "seal_keys" ADD CONSTRAINT "seal_keys_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "invoice_seals_company_position_key" ON "invoice_seals" USING btree ("company_id","position");--> statement-breakpoint
CREATE INDEX "invoice_seals_key_idx" ON "invoice_seals" USING btree ("key_id");--> statement-breakpoint
CREATE UNIQUE INDEX "seal_keys_company_key" ON "seal_keys" USING btree ("company_id");