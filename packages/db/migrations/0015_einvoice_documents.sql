-- E-invoice storage for more than ZATCA. Written in place, not copied: zatca_documents becomes einvoice_documents
-- (a rename; the XML, hashes and counters of every issued invoice are the same bytes, never rewritten), each EGS
-- unit's counter and last hash move to a chain of its own (document_chains), and the copy of the ZATCA fields in
-- invoices.artifacts goes (it repeated zatca_documents).
CREATE TABLE "document_chains" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"company_id" uuid NOT NULL,
	"last_position" bigint DEFAULT 0 NOT NULL,
	"last_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "document_chains" ADD CONSTRAINT "document_chains_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "document_chains_company_idx" ON "document_chains" USING btree ("company_id");--> statement-breakpoint
ALTER TABLE "egs_units" ADD COLUMN "replaces_egs_id" uuid;--> statement-breakpoint
ALTER TABLE "egs_units" ADD COLUMN "chain_id" uuid;--> statement-breakpoint
UPDATE "egs_units" SET "chain_id" = gen_random_uuid();--> statement-breakpoint
INSERT INTO "document_chains" ("id", "company_id", "last_position", "last_hash", "created_at", "updated_at")
  SELECT "chain_id", "company_id", "last_icv", "last_invoice_hash", "created_at", "updated_at" FROM "egs_units";--> statement-breakpoint
ALTER TABLE "egs_units" ALTER COLUMN "chain_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "egs_units" ADD CONSTRAINT "egs_units_chain_id_document_chains_id_fk" FOREIGN KEY ("chain_id") REFERENCES "public"."document_chains"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "egs_units_chain_key" ON "egs_units" USING btree ("chain_id");--> statement-breakpoint
ALTER TABLE "egs_units" DROP COLUMN "last_icv";--> statement-breakpoint
ALTER TABLE "egs_units" DROP COLUMN "last_invoice_hash";--> statement-breakpoint
DROP INDEX "egs_units_current_key";--> statement-breakpoint
ALTER TABLE "egs_units" RENAME COLUMN "is_current" TO "is_default";--> statement-breakpoint
CREATE UNIQUE INDEX "egs_units_default_key" ON "egs_units" USING btree ("company_id") WHERE "egs_units"."is_default";--> statement-breakpoint
ALTER TABLE "zatca_documents" RENAME TO "einvoice_documents";--> statement-breakpoint
ALTER TABLE "einvoice_documents" ADD COLUMN "format" text DEFAULT 'zatca' NOT NULL;--> statement-breakpoint
ALTER TABLE "einvoice_documents" ALTER COLUMN "format" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "einvoice_documents" ADD COLUMN "chain_id" uuid;--> statement-breakpoint
UPDATE "einvoice_documents" AS d SET "chain_id" = e."chain_id" FROM "egs_units" AS e WHERE e."id" = d."egs_id";--> statement-breakpoint
ALTER TABLE "einvoice_documents" DROP CONSTRAINT "zatca_documents_egs_id_egs_units_id_fk";--> statement-breakpoint
DROP INDEX "zatca_documents_egs_icv_key";--> statement-breakpoint
DROP INDEX "zatca_documents_company_idx";--> statement-breakpoint
DROP INDEX "zatca_documents_pending_idx";--> statement-breakpoint
ALTER TABLE "einvoice_documents" DROP COLUMN "egs_id";--> statement-breakpoint
ALTER TABLE "einvoice_documents" DROP COLUMN "signature_status";--> statement-breakpoint
ALTER TABLE "einvoice_documents" RENAME COLUMN "icv" TO "position";--> statement-breakpoint
ALTER TABLE "einvoice_documents" ALTER COLUMN "position" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "einvoice_documents" RENAME COLUMN "uuid" TO "document_uuid";--> statement-breakpoint
ALTER TABLE "einvoice_documents" RENAME COLUMN "invoice_hash" TO "hash";--> statement-breakpoint
ALTER TABLE "einvoice_documents" ALTER COLUMN "previous_hash" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "einvoice_documents" ALTER COLUMN "qr_payload" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "einvoice_documents" ALTER COLUMN "environment" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "einvoice_documents" RENAME COLUMN "zatca_status" TO "authority_status";--> statement-breakpoint
ALTER TABLE "einvoice_documents" RENAME COLUMN "cleared_xml" TO "returned_xml";--> statement-breakpoint
ALTER TABLE "einvoice_documents" DROP CONSTRAINT "zatca_documents_pkey";--> statement-breakpoint
ALTER TABLE "einvoice_documents" ADD CONSTRAINT "einvoice_documents_invoice_id_format_pk" PRIMARY KEY("invoice_id","format");--> statement-breakpoint
ALTER TABLE "einvoice_documents" RENAME CONSTRAINT "zatca_documents_invoice_id_invoices_id_fk" TO "einvoice_documents_invoice_id_invoices_id_fk";--> statement-breakpoint
ALTER TABLE "einvoice_documents" RENAME CONSTRAINT "zatca_documents_company_id_companies_id_fk" TO "einvoice_documents_company_id_companies_id_fk";--> statement-breakpoint
ALTER TABLE "einvoice_documents" ADD CONSTRAINT "einvoice_documents_chain_id_document_chains_id_fk" FOREIGN KEY ("chain_id") REFERENCES "public"."document_chains"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "einvoice_documents_chain_position_key" ON "einvoice_documents" USING btree ("chain_id","position");--> statement-breakpoint
CREATE INDEX "einvoice_documents_company_chain_idx" ON "einvoice_documents" USING btree ("company_id","chain_id","position");--> statement-breakpoint
CREATE INDEX "einvoice_documents_pending_idx" ON "einvoice_documents" USING btree ("company_id","submission_status") WHERE "einvoice_documents"."submission_status" IN ('pending', 'failed');--> statement-breakpoint
ALTER TABLE "invoices" DROP COLUMN "artifacts";--> statement-breakpoint
-- A verification run in progress kept its place by EGS unit and counter; it is ended, to be started again.
UPDATE "zatca_chain_runs" SET "status" = 'failed', "error" = 'The verification was interrupted by an upgrade; start it again.', "finished_at" = now() WHERE "status" IN ('queued', 'running');
