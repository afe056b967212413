-- Sign-in hardening: addresses that signed in to an account (hashed), account mail requests per recipient and
-- requesting address (hashed) for silent limits, and reset links that also remove a second factor. All additive.
CREATE TABLE "account_mail_requests" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "account_mail_requests_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"kind" text NOT NULL,
	"recipient_hash" text NOT NULL,
	"address_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "login_known_sources" (
	"user_id" uuid NOT NULL,
	"source_hash" text NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "login_known_sources_user_id_source_hash_pk" PRIMARY KEY("user_id","source_hash")
);
--> statement-breakpoint
ALTER TABLE "password_reset_tokens" ADD COLUMN "removes_mfa" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "login_known_sources" ADD CONSTRAINT "login_known_sources_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "account_mail_requests_recipient_idx" ON "account_mail_requests" USING btree ("recipient_hash","created_at");--> statement-breakpoint
CREATE INDEX "account_mail_requests_address_idx" ON "account_mail_requests" USING btree ("address_hash","created_at");--> statement-breakpoint
CREATE INDEX "password_reset_tokens_user_idx" ON "password_reset_tokens" USING btree ("user_id");