CREATE TABLE "zatca_chain_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"company_id" uuid NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"checked" integer DEFAULT 0 NOT NULL,
	"total" integer NOT NULL,
	"egs_units" integer DEFAULT 0 NOT NULL,
	"cursor" jsonb,
	"is_intact" boolean,
	"first_break" jsonb,
	"error" text,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"heartbeat_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "zatca_chain_runs" ADD CONSTRAINT "zatca_chain_runs_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "zatca_chain_runs_active_key" ON "zatca_chain_runs" USING btree ("company_id") WHERE "zatca_chain_runs"."status" IN ('queued', 'running');--> statement-breakpoint
CREATE INDEX "zatca_chain_runs_company_idx" ON "zatca_chain_runs" USING btree ("company_id","created_at");