-- Idempotency keys are the client's per company and operation (scope); the old key (company, key) was unique, so
-- (company, scope, key) is too. Rows are purged by age. Draft invoices keep the request they are issued from.
ALTER TABLE "idempotency_keys" DROP CONSTRAINT "idempotency_keys_company_id_key_pk";--> statement-breakpoint
ALTER TABLE "idempotency_keys" ADD CONSTRAINT "idempotency_keys_company_id_scope_key_pk" PRIMARY KEY("company_id","scope","key");--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "draft_body" jsonb;--> statement-breakpoint
CREATE INDEX "idempotency_keys_created_idx" ON "idempotency_keys" USING btree ("created_at");