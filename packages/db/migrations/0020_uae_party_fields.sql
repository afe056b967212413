ALTER TABLE "companies" ADD COLUMN "registration_authority" text;--> statement-breakpoint
ALTER TABLE "companies" ADD COLUMN "peppol_endpoint_scheme" text;--> statement-breakpoint
ALTER TABLE "companies" ADD COLUMN "peppol_endpoint_id" text;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "registration_authority" text;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "peppol_endpoint_scheme" text;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "peppol_endpoint_id" text;--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "item_type" text;--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "hs_code" text;--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "service_code" text;--> statement-breakpoint
ALTER TABLE "document_chains" ADD COLUMN "format" text;--> statement-breakpoint
CREATE UNIQUE INDEX "document_chains_company_format_key" ON "document_chains" USING btree ("company_id","format") WHERE "document_chains"."format" IS NOT NULL;