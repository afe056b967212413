ALTER TABLE "companies" ADD COLUMN "registration_authority" text;--> statement-breakpoint
ALTER TABLE "companies" ADD COLUMN "peppol_endpoint_scheme" text;--> statement-breakpoint
ALTER TABLE "companies" ADD COLUMN "peppol_endpoint_id" text;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "registration_authority" text;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "peppol_endpoint_scheme" text;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "peppol_endpoint_id" text;--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "item_type" text;--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "hs_code" text;--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "service_code" text;