ALTER TABLE "tills" ADD COLUMN "series_code" text;--> statement-breakpoint
CREATE UNIQUE INDEX "tills_company_series_code_key" ON "tills" USING btree ("company_id","series_code");