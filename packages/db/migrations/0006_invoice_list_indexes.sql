-- List indexes scanned backwards for "newest first" (an index declared DESC NULLS LAST does not serve
-- PostgreSQL's default DESC = NULLS FIRST order, and the planner fell back to a sequential scan), with the id
-- tie-break of the list order inside the index.
DROP INDEX "invoices_company_total_idx";
--> statement-breakpoint
DROP INDEX "invoices_company_issue_date_idx";
--> statement-breakpoint
DROP INDEX "invoices_company_customer_idx";
--> statement-breakpoint
CREATE INDEX "invoices_company_total_id_idx" ON "invoices" USING btree ("company_id","total_amount","id");
--> statement-breakpoint
CREATE INDEX "invoices_company_issue_date_idx" ON "invoices" USING btree ("company_id","issue_date","id");
--> statement-breakpoint
CREATE INDEX "invoices_company_customer_idx" ON "invoices" USING btree ("company_id","customer_id","issue_date","id");
