CREATE TABLE "quotes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"company_id" uuid NOT NULL,
	"number" text NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"customer_id" uuid NOT NULL,
	"issue_date" date NOT NULL,
	"valid_until" date NOT NULL,
	"currency" text NOT NULL,
	"subtotal" numeric NOT NULL,
	"vat_amount" numeric NOT NULL,
	"total_amount" numeric NOT NULL,
	"body" jsonb NOT NULL,
	"snapshot" jsonb NOT NULL,
	"public_token_hash" text,
	"sent_at" timestamp with time zone,
	"accepted_at" timestamp with time zone,
	"declined_at" timestamp with time zone,
	"decision_note" text,
	"expired_at" timestamp with time zone,
	"converted_at" timestamp with time zone,
	"converted_invoice_id" uuid,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "quotes_valid_after_issue_check" CHECK ("quotes"."valid_until" >= "quotes"."issue_date"),
	CONSTRAINT "quotes_converted_check" CHECK (("quotes"."status" = 'converted') = ("quotes"."converted_at" IS NOT NULL)),
	CONSTRAINT "quotes_decision_check" CHECK (NOT ("quotes"."accepted_at" IS NOT NULL AND "quotes"."declined_at" IS NOT NULL)),
	CONSTRAINT "quotes_sent_token_check" CHECK ("quotes"."status" = 'draft' OR "quotes"."public_token_hash" IS NOT NULL OR "quotes"."converted_at" IS NOT NULL)
);
--> statement-breakpoint
ALTER TABLE "quotes" ADD CONSTRAINT "quotes_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quotes" ADD CONSTRAINT "quotes_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quotes" ADD CONSTRAINT "quotes_converted_invoice_id_invoices_id_fk" FOREIGN KEY ("converted_invoice_id") REFERENCES "public"."invoices"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quotes" ADD CONSTRAINT "quotes_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "quotes_company_number_idx" ON "quotes" USING btree ("company_id","number");--> statement-breakpoint
CREATE UNIQUE INDEX "quotes_public_token_idx" ON "quotes" USING btree ("public_token_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "quotes_converted_invoice_idx" ON "quotes" USING btree ("converted_invoice_id");--> statement-breakpoint
CREATE INDEX "quotes_company_created_idx" ON "quotes" USING btree ("company_id","created_at");--> statement-breakpoint
CREATE INDEX "quotes_sent_valid_idx" ON "quotes" USING btree ("valid_until") WHERE "quotes"."status" = 'sent';