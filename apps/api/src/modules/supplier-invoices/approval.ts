// Matching again, approving and disputing a supplier invoice. received → approved | disputed; disputed → approved.
// Each step holds the invoice's row lock, so two at once happen one after the other; a step repeated is answered
// with the invoice as it is (no second audit entry), a step out of order is a coded 409.
//
// Approval matches once more with the vendor's order lines locked for update (in the order goods receipts lock
// them), so what another approval billed a moment ago counts; an invoice whose match has exceptions is approved
// only with an override reason. The quantities it bills are then added to its order lines, so a second invoice
// for the same goods shows a variance.

import type { Db } from '@invoiceflow/db';
import { Decimal, parseDecimal } from '@invoiceflow/totals';
import type { AppContext } from '../../context';
import type { Actor } from '../../lib/actor';
import { auditorFor } from '../../lib/audit';
import { isUniqueViolation } from '../../lib/db-errors';
import { AppError, defineErrors } from '../../lib/errors';
import { findVendorByVatNumber } from '../vendors/queries';
import { matchAndStore, runMatch, storeMatch } from './match';
import * as q from './queries';
import { presentOne } from './service';

defineErrors({
  SUPPLIER_INVOICE_HAS_EXCEPTIONS: [
    409,
    'The match has exceptions beyond the company’s tolerances: give an override_reason to approve it anyway.',
  ],
  SUPPLIER_INVOICE_ALREADY_APPROVED: [409, 'The supplier invoice is approved: it can no longer be disputed.'],
  SUPPLIER_INVOICE_NOT_APPROVABLE: [409, 'Only an invoice with a known vendor can be approved.'],
});

const audit = auditorFor('supplier_invoice');

async function lockOrThrow(tx: Db, companyId: string, id: string) {
  const row = await q.lockInvoice(tx, { companyId, id });
  if (!row) throw new AppError('SUPPLIER_INVOICE_NOT_FOUND');
  return row;
}

/** A supplier stored without a vendor gets the one added since with its VAT number. */
async function withVendor(tx: Db, companyId: string, row: q.SupplierInvoiceRow) {
  if (row.vendorId || !row.supplierTaxNumber) return row;
  const vendor = await findVendorByVatNumber(tx, { companyId, vatNumber: row.supplierTaxNumber });
  if (!vendor) return row;
  try {
    return await q.updateInvoice(tx, {
      companyId,
      id: row.id,
      values: { vendorId: vendor.id, supplierName: row.supplierName ?? vendor.nameEn },
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('DUPLICATE_SUPPLIER_INVOICE');
    throw error;
  }
}

/** POST …/{id}/match: again, with what was received and billed since (after a new goods receipt, say). */
export async function rematchInvoice(ctx: AppContext, companyId: string, actor: Actor, id: string) {
  return ctx.db.transaction(async (tx) => {
    const current = await withVendor(tx, companyId, await lockOrThrow(tx, companyId, id));
    const { row, result } = await matchAndStore(tx, companyId, current);
    await audit(tx, companyId, actor, 'supplier_invoice.matched', id, {
      match_status: result.status,
      approvable: result.approvable,
    });
    return row;
  });
}

export async function approveInvoice(
  ctx: AppContext,
  companyId: string,
  actor: Actor,
  id: string,
  input: { overrideReason?: string },
) {
  return ctx.db.transaction(async (tx) => {
    const locked = await lockOrThrow(tx, companyId, id);
    if (locked.status === 'approved') return presentOne(tx, companyId, locked);
    const current = await withVendor(tx, companyId, locked);
    if (!current.vendorId) throw new AppError('SUPPLIER_INVOICE_NOT_APPROVABLE');
    const result = await runMatch(tx, companyId, current, 'update');
    if (!result.approvable && !input.overrideReason) {
      throw new AppError('SUPPLIER_INVOICE_HAS_EXCEPTIONS', {
        extra: {
          match_status: result.status,
          reasons: [...result.reasons, ...result.lines.flatMap((line) => line.reasons)]
            .filter((reason) => reason.exception)
            .map((reason) => reason.code),
        },
      });
    }
    await storeMatch(tx, companyId, current, result);
    // What the invoice bills, per order line. A credit note bills nothing (its goods' return is not a receipt).
    const lines = (await q.linesOfInvoices(tx, { companyId, ids: [id] })).get(id) ?? [];
    const billed = new Map<string, Decimal>();
    for (const [index, line] of lines.entries()) {
      const lineId = result.lines[index]?.order?.lineId ?? null;
      await q.setLineOrderLine(tx, { companyId, id: line.id, purchaseOrderLineId: lineId });
      const quantity = parseDecimal(line.quantity) ?? Decimal.of(0);
      if (!lineId || current.kind !== 'invoice' || !quantity.gt(Decimal.of(0))) continue;
      billed.set(lineId, (billed.get(lineId) ?? Decimal.of(0)).plus(quantity));
    }
    for (const [lineId, quantity] of billed) {
      await q.addBilledQuantity(tx, { companyId, lineId, quantity: quantity.toPlain() });
    }
    const exceptional = !result.approvable;
    const row = await q.updateInvoice(tx, {
      companyId,
      id,
      values: {
        status: 'approved',
        approvedAt: new Date(),
        approvedBy: actor.userId,
        overrideReason: exceptional ? (input.overrideReason ?? null) : null,
      },
    });
    await audit(tx, companyId, actor, 'supplier_invoice.approved', id, {
      from: current.status,
      match_status: result.status,
      ...(exceptional ? { override_reason: input.overrideReason } : {}),
    });
    return presentOne(tx, companyId, row);
  });
}

export async function disputeInvoice(
  ctx: AppContext,
  companyId: string,
  actor: Actor,
  id: string,
  reason: string,
) {
  return ctx.db.transaction(async (tx) => {
    const current = await lockOrThrow(tx, companyId, id);
    if (current.status === 'approved') throw new AppError('SUPPLIER_INVOICE_ALREADY_APPROVED');
    if (current.status === 'disputed') return presentOne(tx, companyId, current);
    const row = await q.updateInvoice(tx, {
      companyId,
      id,
      values: { status: 'disputed', disputedAt: new Date(), disputeReason: reason },
    });
    await audit(tx, companyId, actor, 'supplier_invoice.disputed', id, { reason });
    return presentOne(tx, companyId, row);
  });
}
