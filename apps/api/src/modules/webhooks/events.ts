import { type Db, schema } from '@invoiceflow/db';
import { sql } from '@invoiceflow/db/orm';
import { plansWithout } from '../plans/plans';

const { webhookEndpoints, webhookEvents, webhookDeliveries, invoices } = schema;

/**
 * The events an endpoint may subscribe to. Transmission and import events are named now so subscriptions can
 * be made before the features that fire them exist.
 */
export const WEBHOOK_EVENTS = [
  'invoice.issued',
  'invoice.sent',
  'invoice.paid',
  'invoice.overdue',
  'payment.recorded',
  'einvoice.reported',
  'einvoice.cleared',
  'einvoice.rejected',
  'transmission.delivered',
  'transmission.failed',
  'import.finished',
  'quote.accepted',
  'quote.declined',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number];

/**
 * Writes the event to the outbox and a delivery per enabled endpoint of the company that hears it, in `tx` (the
 * transaction of the change): one statement, and nothing at all when no endpoint listens. `data` carries ids and
 * public fields only; a delivery job sends it after the commit.
 */
/** A company whose plan lost webhooks keeps its endpoints (to see, or to delete) but is sent nothing. */
const webhooksOutsidePlan = (() => {
  const without = plansWithout('webhooks');
  return without.length === 0
    ? sql`true`
    : sql`NOT EXISTS (SELECT 1 FROM companies c WHERE c.id = ${webhookEndpoints.companyId} AND c.plan IN (${sql.join(
        without.map((plan) => sql`${plan}`),
        sql`, `,
      )}))`;
})();

export async function emitWebhookEvent(
  tx: Db,
  { companyId, type, data }: { companyId: string; type: WebhookEventType; data: Record<string, unknown> },
): Promise<void> {
  await tx.execute(sql`
    WITH listening AS (
      SELECT ${webhookEndpoints.id} AS id FROM ${webhookEndpoints}
      WHERE ${webhookEndpoints.companyId} = ${companyId} AND ${webhookEndpoints.isEnabled}
        AND ${webhookEndpoints.events} @> jsonb_build_array(${type}::text)
        AND ${webhooksOutsidePlan}
    ), event AS (
      INSERT INTO ${webhookEvents} (company_id, type, data)
      SELECT ${companyId}, ${type}, ${JSON.stringify(data)}::jsonb WHERE EXISTS (SELECT 1 FROM listening)
      RETURNING id
    )
    INSERT INTO ${webhookDeliveries} (company_id, endpoint_id, event_id)
    SELECT ${companyId}, listening.id, event.id FROM listening, event`);
}

/**
 * An invoice event whose data is the invoice's public fields as they are in `tx` (number, kind, status, dates,
 * amounts, the customer's id; no names or addresses), read in the same statement.
 */
export async function emitInvoiceEvent(
  tx: Db,
  {
    companyId,
    invoiceId,
    type,
    extra = {},
  }: { companyId: string; invoiceId: string; type: WebhookEventType; extra?: Record<string, unknown> },
): Promise<void> {
  await tx.execute(sql`
    WITH listening AS (
      SELECT ${webhookEndpoints.id} AS id FROM ${webhookEndpoints}
      WHERE ${webhookEndpoints.companyId} = ${companyId} AND ${webhookEndpoints.isEnabled}
        AND ${webhookEndpoints.events} @> jsonb_build_array(${type}::text)
    ), event AS (
      INSERT INTO ${webhookEvents} (company_id, type, data)
      SELECT ${companyId}, ${type}, jsonb_build_object('invoice', jsonb_build_object(
          'id', i.id, 'number', i.number, 'type', i.type, 'subtype', i.subtype, 'status', i.status,
          'issue_date', i.issue_date, 'due_date', i.due_date, 'currency', i.currency,
          'payable_amount', i.payable_amount::text, 'paid_amount', i.paid_amount::text,
          'credited_amount', i.credited_amount::text, 'customer_id', i.customer_id
        )) || ${JSON.stringify(extra)}::jsonb
      FROM ${invoices} i
      WHERE i.company_id = ${companyId} AND i.id = ${invoiceId} AND EXISTS (SELECT 1 FROM listening)
      RETURNING id
    )
    INSERT INTO ${webhookDeliveries} (company_id, endpoint_id, event_id)
    SELECT ${companyId}, listening.id, event.id FROM listening, event`);
}

/** payment.recorded: the payment's public fields (no reference or notes, which may name people). */
export async function emitPaymentEvent(
  tx: Db,
  payment: {
    id: string;
    companyId: string;
    customerId: string | null;
    amount: string;
    currency: string;
    paymentDate: string;
    method: string;
    status: string;
  },
): Promise<void> {
  await emitWebhookEvent(tx, {
    companyId: payment.companyId,
    type: 'payment.recorded',
    data: {
      payment: {
        id: payment.id,
        amount: payment.amount,
        currency: payment.currency,
        payment_date: payment.paymentDate,
        method: payment.method,
        status: payment.status,
        customer_id: payment.customerId,
      },
    },
  });
}
