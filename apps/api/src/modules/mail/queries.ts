import { type Db, schema } from '@invoiceflow/db';

export interface MailMessage {
  companyId?: string | null;
  to: string;
  subject: string;
  text: string;
  html?: string;
  kind: string;
  refs?: Record<string, string>;
}

/**
 * Mail is written to the outbox in the caller's transaction, so it is sent if and only if the change that
 * caused it commits. A sender drains the outbox (see the e-mail issue).
 */
export async function enqueueMail(db: Db, message: MailMessage): Promise<void> {
  await db.insert(schema.mailOutbox).values({
    companyId: message.companyId ?? null,
    toAddress: message.to,
    subject: message.subject,
    textBody: message.text,
    htmlBody: message.html ?? null,
    kind: message.kind,
    refs: message.refs ?? {},
  });
}
