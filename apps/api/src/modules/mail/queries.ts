import { type Db, schema } from '@invoiceflow/db';
import { sql } from '@invoiceflow/db/orm';

const SUBJECT_MAX_LENGTH = 200;

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
    // A subject is one header line: a company name with line breaks or of any length must not make it more.
    subject: message.subject.replaceAll(/[\r\n]+/g, ' ').slice(0, SUBJECT_MAX_LENGTH),
    textBody: message.text,
    htmlBody: message.html ?? null,
    kind: message.kind,
    refs: message.refs ?? {},
  });
}

/**
 * Mail of one kind a company has queued since midnight in its own calendar, and the seconds until its next
 * midnight (when the count starts again). The transaction-scoped advisory lock makes concurrent sends of one
 * company count one after the other, so the limit holds exactly.
 */
export async function lockAndCountMailToday(
  db: Db,
  { companyId, kind }: { companyId: string; kind: string },
): Promise<{ count: number; secondsToMidnight: number }> {
  await db.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`mail_outbox:${kind}:${companyId}`}))`);
  const { rows } = (await db.execute(sql`
    WITH day AS (
      SELECT date_trunc('day', now() AT TIME ZONE tz) AS start, tz
      FROM (SELECT time_zone AS tz FROM companies WHERE id = ${companyId}) AS company
    )
    SELECT
      (SELECT count(*)::int FROM mail_outbox, day
        WHERE company_id = ${companyId} AND kind = ${kind} AND created_at >= day.start AT TIME ZONE day.tz) AS count,
      (SELECT ceil(extract(epoch FROM ((day.start + interval '1 day') AT TIME ZONE day.tz) - now()))::int
        FROM day) AS seconds_to_midnight`)) as unknown as {
    rows: { count: number; seconds_to_midnight: number }[];
  };
  const row = rows[0];
  return { count: row?.count ?? 0, secondsToMidnight: Math.max(1, row?.seconds_to_midnight ?? 86_400) };
}
