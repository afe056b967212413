-- search_text is stored lower-cased: searches use LIKE on lower(query) (as ILIKE would match) without
-- lower-casing each candidate row. PostgreSQL 15 cannot change a generated expression in place, and dropping
-- the column drops its trigram index, so both are rebuilt. Paid invoices get a partial index for the list filter.
ALTER TABLE "invoices" drop column "search_text";--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "search_text" text GENERATED ALWAYS AS (lower(translate(number || ' ' || customer_name_en || coalesce(' ' || customer_name_ar, '') || coalesce(' ' || customer_vat_number, ''), 'أإآٱىةًٌٍَُِّْـ', 'اااايه'))) STORED;--> statement-breakpoint
CREATE INDEX "invoices_search_trgm_idx" ON "invoices" USING gin ("company_id","search_text" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "invoices_company_paid_idx" ON "invoices" USING btree ("company_id","issue_date","id") WHERE paid_amount > 0 AND paid_amount >= payable_amount - credited_amount;