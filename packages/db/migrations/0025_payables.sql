CREATE TABLE "payables_settings" (
	"company_id" uuid PRIMARY KEY NOT NULL,
	"price_percent" numeric,
	"price_absolute" numeric,
	"quantity_percent" numeric,
	"quantity_absolute" numeric,
	"over_receipt_percent" numeric DEFAULT '0' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payables_settings_not_negative" CHECK (coalesce("payables_settings"."price_percent", 0) >= 0 AND coalesce("payables_settings"."price_absolute", 0) >= 0 AND coalesce("payables_settings"."quantity_percent", 0) >= 0 AND coalesce("payables_settings"."quantity_absolute", 0) >= 0 AND "payables_settings"."over_receipt_percent" >= 0)
);
--> statement-breakpoint
CREATE TABLE "vendors" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"company_id" uuid NOT NULL,
	"name_en" text NOT NULL,
	"name_ar" text,
	"vat_number" text,
	"registration_number" text,
	"peppol_endpoint_scheme" text,
	"peppol_endpoint_id" text,
	"email" text,
	"phone" text,
	"address" jsonb NOT NULL,
	"contacts" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"payment_terms_days" integer,
	"currency" text,
	"iban" text,
	"bank_name" text,
	"notes" text,
	"archived_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "vendors_payment_terms_range" CHECK ("vendors"."payment_terms_days" BETWEEN 0 AND 365),
	CONSTRAINT "vendors_iban_shape" CHECK ("vendors"."iban" ~ '^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$')
);
--> statement-breakpoint
ALTER TABLE "payables_settings" ADD CONSTRAINT "payables_settings_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vendors" ADD CONSTRAINT "vendors_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "vendors_company_name_idx" ON "vendors" USING btree ("company_id","name_en");--> statement-breakpoint
CREATE INDEX "vendors_company_vat_idx" ON "vendors" USING btree ("company_id","vat_number");