-- The daily limit of invoice mails per company counts its outbox rows of one kind since the company's midnight.
CREATE INDEX "mail_outbox_company_kind_created_idx" ON "mail_outbox" USING btree ("company_id","kind","created_at");
