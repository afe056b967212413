// The customer portal: what one customer of a company sees of its own documents — issued invoices, credit and
// debit notes, their PDF and XML, the statement of account, the payments and the invoice's pay link. Every read
// is bound to the company and the customer of the client's membership (or of a read-only grant); nothing here
// takes a customer from the request.
import type { Db } from '@invoiceflow/db';
import type { InvoiceSnapshot } from '@invoiceflow/db/schema';
import { compareMoney, roundMoney, subtractMoney, sumMoney } from '@invoiceflow/totals';
import type { AppContext } from '../../context';
import { hashToken, randomToken } from '../../lib/crypto';
import { AppError, defineErrors } from '../../lib/errors';
import { startLinkedSession } from '../auth/service';
import { linkBase } from '../auth/verification';
import { getUblDocument } from '../einvoice/queries';
import { getPayLink } from '../online-payments/service';
import { getInvoicePdf } from '../pdf/service';
import { getZatcaDocument } from '../zatca/queries';
import * as q from './queries';

defineErrors({
  PORTAL_LINK_NOT_FOUND: [404, 'This portal link does not exist.'],
  PORTAL_LINK_USED: [410, 'This portal link was already used; sign in, or open the link of a newer e-mail.'],
  PORTAL_LINK_EXPIRED: [
    410,
    'This portal link has expired; sign in, or ask the seller to send the invoice again.',
  ],
  PORTAL_VIEW_NOT_FOUND: [404, 'This invoice view does not exist.'],
  PORTAL_VIEW_EXPIRED: [410, 'This invoice view has ended; open the link of a newer e-mail.'],
  INVOICE_XML_NOT_FOUND: [404, 'This document has no e-invoice XML.'],
});

export type Customer = q.Customer;

type ListRow = Awaited<ReturnType<typeof q.listCustomerInvoices>>['rows'][number];

function presentListRow(row: ListRow) {
  const money = (value: string) => roundMoney(value, row.currency);
  return {
    id: row.id,
    number: row.number,
    type: row.type,
    status: row.status,
    issue_date: row.issueDate,
    due_date: row.dueDate,
    currency: row.currency,
    subtotal: money(row.subtotal),
    vat_amount: money(row.vatAmount),
    total_amount: money(row.totalAmount),
    paid_amount: money(row.paidAmount),
    credited_amount: money(row.creditedAmount),
    amount_due: money(row.amountDue),
  };
}

export async function portalHome(ctx: AppContext, who: Customer) {
  const parties = await q.getPortalParties(ctx.db, who);
  if (!parties) throw new AppError('CUSTOMER_NOT_FOUND');
  return {
    company_id: who.companyId,
    company_name: parties.companyName,
    company_name_ar: parties.companyNameAr,
    customer_id: who.customerId,
    customer_name: parties.customerName,
    customer_name_ar: parties.customerNameAr,
  };
}

export async function listInvoices(
  ctx: AppContext,
  who: Customer,
  query: { type?: 'invoice' | 'credit_note' | 'debit_note'; page: number; page_size: number },
) {
  const { rows, total } = await q.listCustomerInvoices(ctx.db, {
    ...who,
    type: query.type,
    limit: query.page_size,
    offset: (query.page - 1) * query.page_size,
  });
  return { invoices: rows.map(presentListRow), total, page: query.page, page_size: query.page_size };
}

async function requireInvoice(db: Db, who: Customer, id: string) {
  const invoice = await q.getCustomerInvoice(db, { ...who, id });
  if (!invoice) throw new AppError('INVOICE_NOT_FOUND');
  return invoice;
}

/** The invoice's own pay link (online-payments keeps one per payable invoice), where there is one to follow. */
async function payLinkOf(ctx: AppContext, who: Customer, invoice: ListRow) {
  if (invoice.type === 'credit_note' || compareMoney(invoice.amountDue, '0') <= 0) return null;
  try {
    const link = await getPayLink(ctx, who.companyId, invoice.id);
    if (!link || compareMoney(link.outstanding_amount, '0') <= 0) return null;
    return { url: link.url, outstanding_amount: link.outstanding_amount, currency: link.currency };
  } catch (error) {
    // Nothing payable: the invoice simply has no Pay now.
    if (error instanceof AppError && error.code === 'INVOICE_NOT_PAYABLE') return null;
    throw error;
  }
}

export async function getInvoice(ctx: AppContext, who: Customer, id: string) {
  const invoice = await requireInvoice(ctx.db, who, id);
  const snapshot = invoice.snapshot as InvoiceSnapshot;
  const allocations = await q.allocationsOf(ctx.db, { ...who, invoiceId: id });
  const money = (value: string) => roundMoney(value, invoice.currency);
  return {
    ...presentListRow(invoice),
    seller_name: snapshot.seller.legal_name_en,
    seller_name_ar: snapshot.seller.legal_name_ar,
    buyer_name: snapshot.buyer.name_en,
    notes: snapshot.notes,
    original_invoice_number: snapshot.original_invoice?.number ?? null,
    payable_amount: money(invoice.payableAmount),
    lines: snapshot.lines.map((line, index) => ({
      description: line.description ?? '',
      quantity: String(line.quantity),
      unit_price: String(line.unit_price),
      net_amount: snapshot.totals.lines[index]?.net_amount ?? null,
      vat_amount: snapshot.totals.lines[index]?.vat_amount ?? null,
    })),
    payments: allocations.map((row) => ({
      payment_id: row.paymentId,
      payment_date: row.paymentDate,
      method: row.method,
      status: row.paymentStatus,
      amount: money(row.amount),
    })),
    pay_link: await payLinkOf(ctx, who, invoice),
  };
}

export async function invoicePdf(ctx: AppContext, who: Customer, id: string) {
  await requireInvoice(ctx.db, who, id);
  return getInvoicePdf(ctx.db, { companyId: who.companyId, invoiceId: id, files: ctx.config });
}

/** The e-invoice as the authority has it: the cleared XML once cleared, else the issued one; or the UBL document. */
export async function invoiceXml(ctx: AppContext, who: Customer, id: string) {
  const invoice = await requireInvoice(ctx.db, who, id);
  const ubl = await getUblDocument(ctx.db, { companyId: who.companyId, invoiceId: id });
  if (ubl) return { xml: ubl.xml, number: invoice.number };
  const zatca = await getZatcaDocument(ctx.db, { companyId: who.companyId, invoiceId: id });
  if (zatca) return { xml: zatca.returnedXml ?? zatca.xml, number: invoice.number };
  throw new AppError('INVOICE_XML_NOT_FOUND');
}

/**
 * The statement of account, per currency: every issued document and completed payment in date order with the
 * running balance (invoices and debit notes owed, credit notes and payments net of refunds taken off).
 */
export async function statement(ctx: AppContext, who: Customer) {
  const { documents, received } = await q.statementMovements(ctx.db, who);
  type Entry = {
    date: string;
    kind: 'invoice' | 'credit_note' | 'debit_note' | 'payment';
    id: string;
    reference: string | null;
    currency: string;
    debit: string;
    credit: string;
  };
  const entries: Entry[] = [
    ...documents.map((d) => ({
      date: d.date,
      kind: d.type,
      id: d.id,
      reference: d.number,
      currency: d.currency,
      debit: d.type === 'credit_note' ? '0' : d.amount,
      credit: d.type === 'credit_note' ? d.amount : '0',
    })),
    ...received.map((p) => ({
      date: p.date,
      kind: 'payment' as const,
      id: p.id,
      reference: p.reference,
      currency: p.currency,
      debit: '0',
      credit: p.amount,
    })),
  ];
  // Stable: within a day, documents before the payments that settle them.
  entries.sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : 0));
  type Line = Omit<Entry, 'currency'> & { balance: string };
  const byCurrency = new Map<
    string,
    { balance: string; debits: string[]; credits: string[]; lines: Line[] }
  >();
  for (const entry of entries) {
    const book = byCurrency.get(entry.currency) ?? { balance: '0', debits: [], credits: [], lines: [] };
    book.balance = subtractMoney(
      sumMoney([book.balance, entry.debit], entry.currency),
      entry.credit,
      entry.currency,
    );
    book.debits.push(entry.debit);
    book.credits.push(entry.credit);
    book.lines.push({
      date: entry.date,
      kind: entry.kind,
      id: entry.id,
      reference: entry.reference,
      debit: roundMoney(entry.debit, entry.currency),
      credit: roundMoney(entry.credit, entry.currency),
      balance: book.balance,
    });
    byCurrency.set(entry.currency, book);
  }
  return {
    accounts: [...byCurrency].map(([currency, book]) => ({
      currency,
      total_debit: sumMoney(book.debits, currency),
      total_credit: sumMoney(book.credits, currency),
      balance: roundMoney(book.balance, currency),
      entries: book.lines,
    })),
  };
}

export async function listPayments(
  ctx: AppContext,
  who: Customer,
  query: { page: number; page_size: number },
) {
  const { rows, total } = await q.listCustomerPayments(ctx.db, {
    ...who,
    limit: query.page_size,
    offset: (query.page - 1) * query.page_size,
  });
  const allocations = await q.allocationsOf(ctx.db, { ...who, paymentIds: rows.map((r) => r.id) });
  return {
    payments: rows.map((row) => ({
      id: row.id,
      payment_date: row.paymentDate,
      method: row.method,
      reference: row.reference,
      status: row.status,
      currency: row.currency,
      amount: roundMoney(row.amount, row.currency),
      refunded_amount: roundMoney(row.refundedAmount, row.currency),
      allocations: allocations
        .filter((a) => a.paymentId === row.id)
        .map((a) => ({
          invoice_id: a.invoiceId,
          invoice_number: a.invoiceNumber,
          amount: roundMoney(a.amount, row.currency),
        })),
    })),
    total,
    page: query.page,
    page_size: query.page_size,
  };
}

// The link in the invoice mail.

/**
 * A new single-use link for an invoice mail, in the mail's transaction (a rolled-back send leaves none). Only
 * invoices of a customer record get one: a walk-in buyer has no portal.
 */
export async function portalLinkForMail(
  ctx: AppContext,
  tx: Db,
  link: { companyId: string; invoiceId: string; customerId: string | null; recipient: string },
): Promise<string | null> {
  if (!link.customerId) return null;
  const token = randomToken();
  await q.insertPortalLink(tx, {
    companyId: link.companyId,
    invoiceId: link.invoiceId,
    customerId: link.customerId,
    recipient: link.recipient,
    tokenHash: hashToken(token),
    expiresAt: new Date(Date.now() + ctx.config.PORTAL_LINK_DAYS * 86_400_000),
  });
  return `${linkBase(ctx.config)}/portal/link?token=${encodeURIComponent(token)}`;
}

/**
 * Follows the link once. Where the customer has a portal user with the recipient's address (active, client of
 * this company for this customer, without a second factor the link would skip), that user is signed in. Otherwise
 * the link opens only its invoice, read-only, for PORTAL_VIEW_MINUTES through a grant token — the way hosted
 * invoice pages work where the payer has no account.
 */
export async function followPortalLink(ctx: AppContext, token: string) {
  const tokenHash = hashToken(token);
  return ctx.db.transaction(async (tx) => {
    const link = await q.spendPortalLink(tx, { tokenHash });
    if (!link) {
      const known = await q.findPortalLink(tx, { tokenHash });
      if (!known) throw new AppError('PORTAL_LINK_NOT_FOUND');
      throw new AppError(known.usedAt ? 'PORTAL_LINK_USED' : 'PORTAL_LINK_EXPIRED');
    }
    const who = { companyId: link.companyId, customerId: link.customerId };
    const user = await q.findClientUser(tx, { ...who, email: link.recipient });
    if (user && !user.mfaEnabled) {
      await q.setLinkOutcome(tx, { companyId: link.companyId, id: link.id, usedBy: user.userId });
      const tokens = await startLinkedSession(ctx, tx, user.userId);
      return {
        kind: 'session' as const,
        company_id: link.companyId,
        invoice_id: link.invoiceId,
        ...tokens,
      };
    }
    const grant = randomToken();
    const grantExpiresAt = new Date(Date.now() + ctx.config.PORTAL_VIEW_MINUTES * 60_000);
    await q.setLinkOutcome(tx, {
      companyId: link.companyId,
      id: link.id,
      grantHash: hashToken(grant),
      grantExpiresAt,
    });
    return {
      kind: 'invoice' as const,
      company_id: link.companyId,
      invoice_id: link.invoiceId,
      view_token: grant,
      expires_at: grantExpiresAt.toISOString(),
      // A portal user that exists but has a second factor signs in with it; the view says so.
      can_sign_in: user !== undefined,
    };
  });
}

/** The one invoice a read-only grant opens, with its company and customer. */
export async function grantOf(ctx: AppContext, grant: string) {
  const found = await q.findGrant(ctx.db, { grantHash: hashToken(grant) });
  if (!found?.expiresAt) throw new AppError('PORTAL_VIEW_NOT_FOUND');
  if (found.expiresAt.getTime() <= Date.now()) throw new AppError('PORTAL_VIEW_EXPIRED');
  return { companyId: found.companyId, customerId: found.customerId, invoiceId: found.invoiceId };
}
