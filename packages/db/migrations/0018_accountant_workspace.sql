-- The accountant workspace: a client's assignments of accountants (a person or a practice, with scopes and a
-- status), a practice's staff per client, expenses with their receipts (the bytes in a file storage: the database's
-- stored_files by default), and time entries that become invoice lines once. Only new tables: nothing existing moves.
CREATE TABLE "accountant_assignment_staff" (
	"assignment_id" uuid NOT NULL,
	"practice_company_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "accountant_assignment_staff_assignment_id_user_id_pk" PRIMARY KEY("assignment_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "accountant_assignments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"client_company_id" uuid NOT NULL,
	"email" text NOT NULL,
	"scopes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"accountant_user_id" uuid,
	"practice_company_id" uuid,
	"invited_by" uuid,
	"expires_at" timestamp with time zone NOT NULL,
	"accepted_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "accountant_assignments_status_check" CHECK ("accountant_assignments"."status" IN ('pending', 'active', 'suspended', 'revoked'))
);
--> statement-breakpoint
CREATE TABLE "expense_receipts" (
	"expense_id" uuid PRIMARY KEY NOT NULL,
	"company_id" uuid NOT NULL,
	"file_name" text NOT NULL,
	"content_type" text NOT NULL,
	"byte_size" integer NOT NULL,
	"sha256" text NOT NULL,
	"storage" text NOT NULL,
	"storage_key" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "expenses" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"company_id" uuid NOT NULL,
	"expense_date" date NOT NULL,
	"vendor" text NOT NULL,
	"category" text NOT NULL,
	"description" text,
	"amount" numeric NOT NULL,
	"vat_amount" numeric NOT NULL,
	"vat_rate" text NOT NULL,
	"vat_category" text NOT NULL,
	"is_vat_recoverable" boolean NOT NULL,
	"currency" text NOT NULL,
	"exchange_rate" numeric NOT NULL,
	"status" text DEFAULT 'booked' NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "expenses_amount_positive" CHECK ("expenses"."amount" > 0),
	CONSTRAINT "expenses_vat_amount_range" CHECK ("expenses"."vat_amount" >= 0 AND "expenses"."vat_amount" <= "expenses"."amount"),
	CONSTRAINT "expenses_exchange_rate_positive" CHECK ("expenses"."exchange_rate" > 0)
);
--> statement-breakpoint
CREATE TABLE "stored_files" (
	"key" text PRIMARY KEY NOT NULL,
	"company_id" uuid NOT NULL,
	"data" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "time_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"company_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"project" text,
	"entry_date" date NOT NULL,
	"hours" numeric NOT NULL,
	"hourly_rate" numeric NOT NULL,
	"is_billable" boolean DEFAULT true NOT NULL,
	"description" text,
	"invoice_id" uuid,
	"invoiced_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "time_entries_hours_positive" CHECK ("time_entries"."hours" > 0 AND "time_entries"."hours" <= 24),
	CONSTRAINT "time_entries_rate_nonnegative" CHECK ("time_entries"."hourly_rate" >= 0)
);
--> statement-breakpoint
ALTER TABLE "accountant_assignment_staff" ADD CONSTRAINT "accountant_assignment_staff_assignment_id_accountant_assignments_id_fk" FOREIGN KEY ("assignment_id") REFERENCES "public"."accountant_assignments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accountant_assignment_staff" ADD CONSTRAINT "accountant_assignment_staff_practice_company_id_companies_id_fk" FOREIGN KEY ("practice_company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accountant_assignment_staff" ADD CONSTRAINT "accountant_assignment_staff_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accountant_assignments" ADD CONSTRAINT "accountant_assignments_client_company_id_companies_id_fk" FOREIGN KEY ("client_company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accountant_assignments" ADD CONSTRAINT "accountant_assignments_accountant_user_id_users_id_fk" FOREIGN KEY ("accountant_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accountant_assignments" ADD CONSTRAINT "accountant_assignments_practice_company_id_companies_id_fk" FOREIGN KEY ("practice_company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accountant_assignments" ADD CONSTRAINT "accountant_assignments_invited_by_users_id_fk" FOREIGN KEY ("invited_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "expense_receipts" ADD CONSTRAINT "expense_receipts_expense_id_expenses_id_fk" FOREIGN KEY ("expense_id") REFERENCES "public"."expenses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "expense_receipts" ADD CONSTRAINT "expense_receipts_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "expense_receipts" ADD CONSTRAINT "expense_receipts_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "expenses" ADD CONSTRAINT "expenses_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "expenses" ADD CONSTRAINT "expenses_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stored_files" ADD CONSTRAINT "stored_files_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "time_entries" ADD CONSTRAINT "time_entries_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "time_entries" ADD CONSTRAINT "time_entries_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "time_entries" ADD CONSTRAINT "time_entries_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "time_entries" ADD CONSTRAINT "time_entries_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "accountant_assignment_staff_user_idx" ON "accountant_assignment_staff" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "accountant_assignments_client_email_key" ON "accountant_assignments" USING btree ("client_company_id",lower("email")) WHERE "accountant_assignments"."status" <> 'revoked';--> statement-breakpoint
CREATE INDEX "accountant_assignments_user_idx" ON "accountant_assignments" USING btree ("accountant_user_id");--> statement-breakpoint
CREATE INDEX "accountant_assignments_practice_idx" ON "accountant_assignments" USING btree ("practice_company_id");--> statement-breakpoint
CREATE INDEX "accountant_assignments_email_idx" ON "accountant_assignments" USING btree (lower("email"));--> statement-breakpoint
CREATE INDEX "expenses_company_date_idx" ON "expenses" USING btree ("company_id","expense_date" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "time_entries_company_date_idx" ON "time_entries" USING btree ("company_id","entry_date" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "time_entries_company_customer_idx" ON "time_entries" USING btree ("company_id","customer_id");--> statement-breakpoint
CREATE INDEX "time_entries_invoice_idx" ON "time_entries" USING btree ("invoice_id");