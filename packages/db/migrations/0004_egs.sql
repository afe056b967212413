CREATE TABLE "egs_units" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"company_id" uuid NOT NULL,
	"environment" text NOT NULL,
	"status" text NOT NULL,
	"is_current" boolean DEFAULT false NOT NULL,
	"common_name" text NOT NULL,
	"serial_number" text NOT NULL,
	"organization_identifier" text NOT NULL,
	"organization_name" text NOT NULL,
	"organization_unit_name" text NOT NULL,
	"registration_number" text,
	"invoice_type" text NOT NULL,
	"location" text NOT NULL,
	"industry" text NOT NULL,
	"private_key_enc" text NOT NULL,
	"public_key_pem" text NOT NULL,
	"csr_pem" text NOT NULL,
	"compliance_certificate" text,
	"compliance_secret_enc" text,
	"compliance_request_id" text,
	"production_certificate" text,
	"production_secret_enc" text,
	"production_request_id" text,
	"compliance_checks" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"last_icv" bigint DEFAULT 0 NOT NULL,
	"last_invoice_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "zatca_documents" (
	"invoice_id" uuid PRIMARY KEY NOT NULL,
	"company_id" uuid NOT NULL,
	"egs_id" uuid NOT NULL,
	"environment" text NOT NULL,
	"uuid" uuid NOT NULL,
	"icv" bigint NOT NULL,
	"invoice_hash" text NOT NULL,
	"previous_hash" text NOT NULL,
	"xml" text NOT NULL,
	"qr_payload" text NOT NULL,
	"signature_status" text NOT NULL,
	"submission_kind" text NOT NULL,
	"submission_status" text NOT NULL,
	"is_simulated" boolean DEFAULT false NOT NULL,
	"zatca_status" text,
	"http_status" integer,
	"warnings" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"errors" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"cleared_xml" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"submitted_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "egs_units" ADD CONSTRAINT "egs_units_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "zatca_documents" ADD CONSTRAINT "zatca_documents_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "zatca_documents" ADD CONSTRAINT "zatca_documents_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "zatca_documents" ADD CONSTRAINT "zatca_documents_egs_id_egs_units_id_fk" FOREIGN KEY ("egs_id") REFERENCES "public"."egs_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "egs_units_company_idx" ON "egs_units" USING btree ("company_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "egs_units_current_key" ON "egs_units" USING btree ("company_id") WHERE "egs_units"."is_current";--> statement-breakpoint
CREATE UNIQUE INDEX "zatca_documents_egs_icv_key" ON "zatca_documents" USING btree ("egs_id","icv");--> statement-breakpoint
CREATE INDEX "zatca_documents_company_idx" ON "zatca_documents" USING btree ("company_id","egs_id","icv");--> statement-breakpoint
CREATE INDEX "zatca_documents_pending_idx" ON "zatca_documents" USING btree ("company_id","submission_status") WHERE "zatca_documents"."submission_status" IN ('pending', 'failed');