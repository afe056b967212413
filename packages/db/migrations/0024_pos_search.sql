ALTER TABLE "products" ADD COLUMN "barcode" text;--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "search_text" text GENERATED ALWAYS AS (lower(translate(name_en || coalesce(' ' || name_ar, '') || coalesce(' ' || sku, ''), 'أإآٱىةًٌٍَُِّْـ', 'اااايه'))) STORED;--> statement-breakpoint
ALTER TABLE "cash_movements" ADD COLUMN "credit_note_id" uuid;--> statement-breakpoint
ALTER TABLE "cash_movements" ADD CONSTRAINT "cash_movements_credit_note_id_invoices_id_fk" FOREIGN KEY ("credit_note_id") REFERENCES "public"."invoices"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "products_search_trgm_idx" ON "products" USING gin ("company_id","search_text" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "products_search_prefix_idx" ON "products" USING btree ("company_id","search_text" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "products_name_ar_prefix_idx" ON "products" USING btree ("company_id",(lower(translate(name_ar, 'أإآٱىةًٌٍَُِّْـ', 'اااايه'))) text_pattern_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "products_company_barcode_key" ON "products" USING btree ("company_id","barcode") WHERE "products"."archived_at" IS NULL AND "products"."barcode" IS NOT NULL;--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_barcode_gtin" CHECK ("products"."barcode" ~ '^([0-9]{8}|[0-9]{12,14})$');