ALTER TABLE "companies" ADD COLUMN "bank_iban" text;--> statement-breakpoint
ALTER TABLE "companies" ADD COLUMN "bank_account_name" text;--> statement-breakpoint
ALTER TABLE "companies" ADD COLUMN "bank_bic" text;--> statement-breakpoint
ALTER TABLE "companies" ADD CONSTRAINT "companies_bank_iban_form" CHECK ("companies"."bank_iban" ~ '^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$');--> statement-breakpoint
ALTER TABLE "companies" ADD CONSTRAINT "companies_bank_bic_form" CHECK ("companies"."bank_bic" ~ '^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$');--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_hs_code_digits" CHECK ("products"."hs_code" ~ '^[0-9]{6,12}$');--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_service_code_form" CHECK ("products"."service_code" ~ '^[A-Za-z0-9]{1,20}$');