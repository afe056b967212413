ALTER TABLE "companies" ADD COLUMN "registration_scheme" text;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "id_scheme" text;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "id_number" text;