-- A company's calendar is its own time zone (no country guess in SQL); existing companies keep the zone their
-- country used so far.
ALTER TABLE "companies" ADD COLUMN "time_zone" text;--> statement-breakpoint
UPDATE "companies" SET "time_zone" = CASE "country" WHEN 'AE' THEN 'Asia/Dubai' ELSE 'Asia/Riyadh' END WHERE "time_zone" IS NULL;--> statement-breakpoint
ALTER TABLE "companies" ALTER COLUMN "time_zone" SET NOT NULL;--> statement-breakpoint
CREATE TABLE "company_tax_rates" (
	"company_id" uuid NOT NULL,
	"rate" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "company_tax_rates_company_id_rate_pk" PRIMARY KEY("company_id","rate")
);
--> statement-breakpoint
ALTER TABLE "company_tax_rates" ADD CONSTRAINT "company_tax_rates_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;
