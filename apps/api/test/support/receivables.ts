import { type Database, schema } from '@invoiceflow/db';
import { sql } from '@invoiceflow/db/orm';
import type { as } from './app';

type Caller = ReturnType<typeof as>;

let counter = 0;

/** A customer with an e-mail address (reminders and invoice mail go there). */
export async function createCustomer(
  call: Caller,
  fields: Record<string, unknown> = {},
): Promise<{ id: string; email: string }> {
  counter++;
  const email = `buyer-${Date.now()}-${counter}@example.com`;
  const response = await call({
    method: 'POST',
    url: '/api/v1/customers',
    payload: {
      name_en: `Buyer ${counter}`,
      email,
      address: {
        street: 'King Fahd Road',
        building_number: '1234',
        city: 'Riyadh',
        postal_code: '12345',
        country: 'SA',
      },
      ...fields,
    },
  });
  if (response.statusCode !== 201) throw new Error(`customer: ${response.statusCode} ${response.body}`);
  return { id: response.json().id, email: (fields.email as string | undefined) ?? email };
}

export interface IssuedInvoice {
  id: string;
  invoice_number: string;
  total_amount: string;
  vat_amount: string;
}

/**
 * Issues an invoice through the issuing endpoint: one line of `net` at 15 % VAT (total = net × 1.15), or the
 * given lines.
 */
export async function issueInvoice(
  call: Caller,
  options: {
    customerId?: string;
    net?: string;
    invoiceDate?: string;
    dueDate?: string;
    type?: 'invoice' | 'credit_note' | 'debit_note';
    originalInvoiceId?: string;
    reason?: string;
    currency?: string;
  } = {},
): Promise<IssuedInvoice> {
  const response = await call({
    method: 'POST',
    url: '/api/v1/invoices/generate',
    payload: {
      ...(options.customerId ? { customer_id: options.customerId } : { customer_name: 'Walk-in buyer' }),
      ...(options.type ? { type: options.type } : {}),
      ...(options.originalInvoiceId ? { original_invoice_id: options.originalInvoiceId } : {}),
      ...(options.reason ? { reason: options.reason } : {}),
      ...(options.invoiceDate ? { invoice_date: options.invoiceDate } : {}),
      ...(options.dueDate ? { due_date: options.dueDate } : {}),
      ...(options.currency ? { currency: options.currency } : {}),
      line_items: [
        { description: 'Consulting', quantity: 1, unit_price: options.net ?? '1000', vat_rate: 15 },
      ],
    },
  });
  if (response.statusCode !== 201) throw new Error(`issue: ${response.statusCode} ${response.body}`);
  return response.json();
}

/**
 * The invariants of receivables, straight from the tables: every invoice's paid_amount cache equals the sum of its
 * completed allocations; no payment is allocated beyond its amount; no invoice beyond what is due on it.
 */
export async function receivableViolations(database: Database): Promise<unknown[]> {
  const { rows } = (await database.db.execute(sql`
    SELECT 'cache' AS rule, i.id::text AS id, i.paid_amount::text AS cached, coalesce(s.total, 0)::text AS actual
      FROM ${schema.invoices} i
      LEFT JOIN (SELECT a.invoice_id, sum(a.amount) AS total FROM payment_allocations a
                 JOIN payments p ON p.id = a.payment_id AND p.status = 'completed' GROUP BY a.invoice_id) s
        ON s.invoice_id = i.id
      WHERE i.paid_amount <> coalesce(s.total, 0)
    UNION ALL
    SELECT 'payment', p.id::text, p.amount::text, sum(a.amount)::text
      FROM payments p JOIN payment_allocations a ON a.payment_id = p.id
      GROUP BY p.id, p.amount HAVING sum(a.amount) > p.amount
    UNION ALL
    SELECT 'invoice', i.id::text, (i.payable_amount - i.credited_amount)::text, sum(a.amount)::text
      FROM invoices i JOIN payment_allocations a ON a.invoice_id = i.id
      JOIN payments p ON p.id = a.payment_id AND p.status IN ('pending', 'completed')
      GROUP BY i.id HAVING sum(a.amount) > i.payable_amount - i.credited_amount`)) as unknown as {
    rows: unknown[];
  };
  return rows;
}
