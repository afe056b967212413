import type { Db } from '@invoiceflow/db';
import type { PostalAddress } from '@invoiceflow/db/schema';
import type { AppContext } from '../../context';
import type { Actor } from '../../lib/actor';
import { auditorFor } from '../../lib/audit';
import { AppError, defineErrors } from '../../lib/errors';
import { parseOrThrow } from '../../lib/field-errors';
import * as q from './queries';
import { type VendorInput, vendorCreateSchema } from './schemas';

defineErrors({ VENDOR_NOT_FOUND: [404, 'Vendor not found.'] });

export function presentVendor(row: q.VendorRow) {
  return {
    id: row.id,
    name_en: row.nameEn,
    name_ar: row.nameAr,
    vat_number: row.vatNumber,
    registration_number: row.registrationNumber,
    peppol_endpoint:
      row.peppolEndpointScheme && row.peppolEndpointId
        ? { scheme: row.peppolEndpointScheme, id: row.peppolEndpointId }
        : null,
    email: row.email,
    phone: row.phone,
    address: row.address as unknown as Record<string, string>,
    contacts: row.contacts,
    payment_terms_days: row.paymentTermsDays,
    currency: row.currency,
    iban: row.iban,
    bank_name: row.bankName,
    notes: row.notes,
    is_archived: row.archivedAt !== null,
    archived_at: row.archivedAt?.toISOString() ?? null,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

/** A vendor's columns from its checked input (the API's and an import's). */
export function vendorValues(input: VendorInput) {
  return {
    nameEn: input.name_en,
    nameAr: input.name_ar ?? null,
    vatNumber: input.vat_number ?? null,
    registrationNumber: input.registration_number ?? null,
    peppolEndpointScheme: input.peppol_endpoint?.scheme ?? null,
    peppolEndpointId: input.peppol_endpoint?.id ?? null,
    email: input.email ?? null,
    phone: input.phone ?? null,
    address: input.address as PostalAddress,
    contacts: input.contacts,
    paymentTermsDays: input.payment_terms_days ?? null,
    currency: input.currency ?? null,
    iban: input.iban ?? null,
    bankName: input.bank_name ?? null,
    notes: input.notes ?? null,
  };
}

export async function createVendor(ctx: AppContext, companyId: string, actor: Actor, input: VendorInput) {
  return ctx.db.transaction(async (tx) => {
    const row = await q.insertVendor(tx, { companyId, values: vendorValues(input) });
    await audit(tx, companyId, actor, 'vendor.created', row.id);
    return row;
  });
}

export async function getVendorOrThrow(db: Db, companyId: string, id: string) {
  const row = await q.getVendor(db, { companyId, id });
  if (!row) throw new AppError('VENDOR_NOT_FOUND');
  return row;
}

/** PATCH: the stored vendor with the changes applied is validated as a whole, as a create would be. */
export async function updateVendor(
  ctx: AppContext,
  companyId: string,
  actor: Actor,
  id: string,
  patch: Record<string, unknown>,
) {
  return ctx.db.transaction(async (tx) => {
    const current = await q.getVendor(tx, { companyId, id, forUpdate: true });
    if (!current) throw new AppError('VENDOR_NOT_FOUND');
    const { id: _id, is_archived, archived_at, created_at, updated_at, ...editable } = presentVendor(current);
    const merged = parseOrThrow(vendorCreateSchema, { ...editable, ...patch });
    const row = await q.updateVendor(tx, { companyId, id, values: vendorValues(merged) });
    if (!row) throw new AppError('VENDOR_NOT_FOUND');
    await audit(tx, companyId, actor, 'vendor.updated', id, { fields: Object.keys(patch) });
    return row;
  });
}

/**
 * Vendors are archived, never deleted: their orders, receipts and invoices keep pointing at them. Archiving
 * hides the vendor from lists; restoring brings it back.
 */
export async function setVendorArchived(
  ctx: AppContext,
  companyId: string,
  actor: Actor,
  id: string,
  archived: boolean,
) {
  return ctx.db.transaction(async (tx) => {
    const current = await q.getVendor(tx, { companyId, id, forUpdate: true });
    if (!current) throw new AppError('VENDOR_NOT_FOUND');
    if ((current.archivedAt !== null) === archived) return current;
    const row = await q.updateVendor(tx, {
      companyId,
      id,
      values: { archivedAt: archived ? new Date() : null },
    });
    if (!row) throw new AppError('VENDOR_NOT_FOUND');
    await audit(tx, companyId, actor, archived ? 'vendor.archived' : 'vendor.restored', id);
    return row;
  });
}

const audit = auditorFor('vendor');
