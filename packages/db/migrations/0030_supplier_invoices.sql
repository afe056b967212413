CREATE TABLE "supplier_invoice_lines" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"company_id" uuid NOT NULL,
	"supplier_invoice_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"description" text NOT NULL,
	"quantity" numeric NOT NULL,
	"unit_code" text,
	"unit_price" numeric NOT NULL,
	"vat_rate" numeric,
	"net_amount" numeric NOT NULL,
	"item_code" text,
	"order_number" text,
	"order_line_ref" text,
	"purchase_order_line_id" uuid
);
--> statement-breakpoint
CREATE TABLE "supplier_invoices" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"company_id" uuid NOT NULL,
	"vendor_id" uuid,
	"supplier_tax_number" text,
	"supplier_name" text,
	"number" text NOT NULL,
	"kind" text DEFAULT 'invoice' NOT NULL,
	"source" text NOT NULL,
	"format" text,
	"issue_date" date NOT NULL,
	"due_date" date,
	"currency" text NOT NULL,
	"order_references" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"subtotal" numeric NOT NULL,
	"vat_amount" numeric NOT NULL,
	"total_amount" numeric NOT NULL,
	"payable_amount" numeric NOT NULL,
	"paid_amount" numeric DEFAULT '0' NOT NULL,
	"status" text DEFAULT 'received' NOT NULL,
	"match_status" text,
	"match" jsonb,
	"matched_at" timestamp with time zone,
	"approved_at" timestamp with time zone,
	"approved_by" uuid,
	"override_reason" text,
	"disputed_at" timestamp with time zone,
	"dispute_reason" text,
	"file_name" text,
	"content_type" text,
	"byte_size" integer,
	"sha256" text,
	"storage" text,
	"storage_key" text,
	"notes" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "supplier_invoices_paid_not_negative" CHECK ("supplier_invoices"."paid_amount" >= 0)
);
--> statement-breakpoint
CREATE TABLE "supplier_payment_allocations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"company_id" uuid NOT NULL,
	"supplier_payment_id" uuid NOT NULL,
	"supplier_invoice_id" uuid NOT NULL,
	"amount" numeric NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "supplier_payment_allocations_amount_positive" CHECK ("supplier_payment_allocations"."amount" > 0)
);
--> statement-breakpoint
CREATE TABLE "supplier_payments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"company_id" uuid NOT NULL,
	"vendor_id" uuid,
	"amount" numeric NOT NULL,
	"currency" text NOT NULL,
	"payment_date" date NOT NULL,
	"method" text NOT NULL,
	"reference" text,
	"notes" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "supplier_payments_amount_positive" CHECK ("supplier_payments"."amount" > 0)
);
--> statement-breakpoint
ALTER TABLE "purchase_order_lines" ADD COLUMN "billed_quantity" numeric DEFAULT '0' NOT NULL;--> statement-breakpoint
ALTER TABLE "supplier_invoice_lines" ADD CONSTRAINT "supplier_invoice_lines_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supplier_invoice_lines" ADD CONSTRAINT "supplier_invoice_lines_supplier_invoice_id_supplier_invoices_id_fk" FOREIGN KEY ("supplier_invoice_id") REFERENCES "public"."supplier_invoices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supplier_invoice_lines" ADD CONSTRAINT "supplier_invoice_lines_purchase_order_line_id_purchase_order_lines_id_fk" FOREIGN KEY ("purchase_order_line_id") REFERENCES "public"."purchase_order_lines"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supplier_invoices" ADD CONSTRAINT "supplier_invoices_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supplier_invoices" ADD CONSTRAINT "supplier_invoices_vendor_id_vendors_id_fk" FOREIGN KEY ("vendor_id") REFERENCES "public"."vendors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supplier_invoices" ADD CONSTRAINT "supplier_invoices_approved_by_users_id_fk" FOREIGN KEY ("approved_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supplier_invoices" ADD CONSTRAINT "supplier_invoices_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supplier_payment_allocations" ADD CONSTRAINT "supplier_payment_allocations_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supplier_payment_allocations" ADD CONSTRAINT "supplier_payment_allocations_supplier_payment_id_supplier_payments_id_fk" FOREIGN KEY ("supplier_payment_id") REFERENCES "public"."supplier_payments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supplier_payment_allocations" ADD CONSTRAINT "supplier_payment_allocations_supplier_invoice_id_supplier_invoices_id_fk" FOREIGN KEY ("supplier_invoice_id") REFERENCES "public"."supplier_invoices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supplier_payments" ADD CONSTRAINT "supplier_payments_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supplier_payments" ADD CONSTRAINT "supplier_payments_vendor_id_vendors_id_fk" FOREIGN KEY ("vendor_id") REFERENCES "public"."vendors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supplier_payments" ADD CONSTRAINT "supplier_payments_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "supplier_invoice_lines_position_key" ON "supplier_invoice_lines" USING btree ("supplier_invoice_id","position");--> statement-breakpoint
CREATE INDEX "supplier_invoice_lines_company_idx" ON "supplier_invoice_lines" USING btree ("company_id","supplier_invoice_id");--> statement-breakpoint
CREATE UNIQUE INDEX "supplier_invoices_vendor_number_key" ON "supplier_invoices" USING btree ("company_id","vendor_id","number") WHERE "supplier_invoices"."vendor_id" IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "supplier_invoices_tax_number_key" ON "supplier_invoices" USING btree ("company_id","supplier_tax_number","number") WHERE "supplier_invoices"."supplier_tax_number" IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "supplier_invoices_name_number_key" ON "supplier_invoices" USING btree ("company_id","supplier_name","number") WHERE "supplier_invoices"."vendor_id" IS NULL AND "supplier_invoices"."supplier_tax_number" IS NULL;--> statement-breakpoint
CREATE INDEX "supplier_invoices_company_created_idx" ON "supplier_invoices" USING btree ("company_id","created_at");--> statement-breakpoint
CREATE INDEX "supplier_invoices_company_status_idx" ON "supplier_invoices" USING btree ("company_id","status","due_date");--> statement-breakpoint
CREATE INDEX "supplier_invoices_company_match_idx" ON "supplier_invoices" USING btree ("company_id","match_status");--> statement-breakpoint
CREATE UNIQUE INDEX "supplier_payment_allocations_payment_invoice_key" ON "supplier_payment_allocations" USING btree ("supplier_payment_id","supplier_invoice_id");--> statement-breakpoint
CREATE INDEX "supplier_payment_allocations_invoice_idx" ON "supplier_payment_allocations" USING btree ("supplier_invoice_id");--> statement-breakpoint
CREATE INDEX "supplier_payments_company_date_idx" ON "supplier_payments" USING btree ("company_id","payment_date" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
ALTER TABLE "purchase_order_lines" ADD CONSTRAINT "purchase_order_lines_billed_not_negative" CHECK ("purchase_order_lines"."billed_quantity" >= 0);