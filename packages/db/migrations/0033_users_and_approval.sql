ALTER TABLE "companies" ADD COLUMN "rejected_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "companies" ADD COLUMN "rejection_reason" text;--> statement-breakpoint
ALTER TABLE "invitations" ADD COLUMN "customer_id" uuid;--> statement-breakpoint
ALTER TABLE "invitations" ADD COLUMN "full_name" text;--> statement-breakpoint
ALTER TABLE "memberships" ADD COLUMN "customer_id" uuid;--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_client_customer" CHECK (("memberships"."role" = 'client') = ("memberships"."customer_id" IS NOT NULL));