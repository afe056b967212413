// One Saudi invoice and what issuing it costs in process, part by part, for the benches that compare the whole
// with its parts: the frozen snapshot, its signed ZATCA XML and QR, the PDF the API renders from them.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { InvoiceSnapshot } from '@invoiceflow/db/schema';
import { renderInvoicePdf } from '@invoiceflow/pdf';
import { computeTotals, type LineInput } from '@invoiceflow/totals';
import {
  buildSignedInvoice,
  type CsrInput,
  FIRST_PIH,
  generateEgsKeyPair,
  issueSelfSignedTestCertificate,
} from '@invoiceflow/zatca';
import { decrypt, encrypt } from '../../apps/api/src/lib/crypto';
import { pdfInputOf } from '../../apps/api/src/modules/pdf/invoice-pdf-input';
import { zatcaInput } from '../../apps/api/src/modules/zatca/document';

const csr: CsrInput = {
  commonName: 'bench-egs',
  serialNumber: '1-InvoiceFlow|2-API|3-bench',
  organizationIdentifier: '399999999900003',
  organizationUnitName: 'Main Branch',
  organizationName: 'Maximum Speed Tech Supply LTD',
  countryName: 'SA',
  invoiceType: '1100',
  location: 'Riyadh',
  industry: 'Retail',
  environment: 'sandbox',
};
/** A test EGS unit: its key pair and self-issued certificate (the benches sign with it). */
export const keys = generateEgsKeyPair();
export const certificatePem = issueSelfSignedTestCertificate(csr, keys.privateKeyPem).certificatePem;

const lines: LineInput[] = [
  { description: 'Consulting hours', description_ar: 'ساعات استشارية', quantity: '10', unit_price: '500' },
  { description: 'Laptop stand', description_ar: 'حامل حاسوب محمول', quantity: '2', unit_price: '120' },
  {
    description: 'Wireless keyboard',
    description_ar: 'لوحة مفاتيح لاسلكية',
    quantity: '3',
    unit_price: '95.50',
  },
  { description: 'Delivery', description_ar: 'توصيل', quantity: '1', unit_price: '25' },
];
export const snapshot: InvoiceSnapshot = {
  version: 1,
  number: 'INV-2026-000001',
  type: 'invoice',
  subtype: 'standard',
  issue_date: '2026-01-15',
  issued_at: '2026-01-15T07:00:00.000Z',
  due_date: '2026-02-14',
  payment_terms_days: 30,
  currency: 'SAR',
  notes: null,
  original_invoice: null,
  reason: null,
  seller: {
    company_id: '00000000-0000-4000-8000-000000000001',
    legal_name_en: 'Maximum Speed Tech Supply LTD',
    legal_name_ar: 'شركة توريد التكنولوجيا بأقصى سرعة المحدودة',
    country: 'SA',
    vat_number: '399999999900003',
    registration_number: '1010010000',
    address: {
      street: 'Prince Sultan',
      building_number: '2322',
      district: 'Al-Murabba',
      city: 'Riyadh',
      postal_code: '23333',
      country: 'SA',
    },
  },
  buyer: {
    customer_id: null,
    kind: 'company',
    name_en: 'Advanced Trading Est.',
    name_ar: 'مؤسسة التجارة المتقدمة',
    vat_number: '310122393500003',
    registration_number: null,
    address: {
      street: 'King Fahd Road',
      building_number: '1234',
      district: 'Al Olaya',
      city: 'Riyadh',
      postal_code: '12345',
      country: 'SA',
    },
  },
  lines,
  totals: computeTotals({ jurisdiction: 'zatca', currency: 'SAR', lines }),
};
export const signed = buildSignedInvoice(
  zatcaInput(snapshot, { uuid: '8d487816-70b8-4ade-a618-9d620b73814a', counter: 1, previousHash: FIRST_PIH }),
  { privateKeyPem: keys.privateKeyPem, certificatePem },
);

export async function issuePath(
  invoice: InvoiceSnapshot,
  artifacts: { qr: string; xml: string },
): Promise<number> {
  const pdf = await renderInvoicePdf(pdfInputOf(invoice, artifacts));
  createHash('sha256').update(pdf).digest('hex');
  return pdf.length;
}

/** The same seller's next invoices: number, time, quantities (so every amount) and customer change; signed. */
export function nextInvoices(count: number): Array<{ invoice: InvoiceSnapshot; qr: string; xml: string }> {
  const customers = ['Advanced Trading Est.', 'Gulf Supplies Co.', 'Najd Contracting', 'Red Sea Logistics'];
  let previousHash = FIRST_PIH;
  return Array.from({ length: count }, (_, n) => {
    const invoiceLines = lines.map((line, k) => ({ ...line, quantity: String(1 + ((n * 7 + k * 3) % 19)) }));
    const invoice: InvoiceSnapshot = {
      ...snapshot,
      number: `INV-2026-${String(n + 2).padStart(6, '0')}`,
      issued_at: new Date(Date.parse(snapshot.issued_at) + n * 61_000).toISOString(),
      buyer: snapshot.buyer && { ...snapshot.buyer, name_en: customers[n % customers.length] ?? '' },
      lines: invoiceLines,
      totals: computeTotals({ jurisdiction: 'zatca', currency: 'SAR', lines: invoiceLines }),
    };
    const uuid = `8d487816-70b8-4ade-a618-${String(n).padStart(12, '0')}`;
    const result = buildSignedInvoice(zatcaInput(invoice, { uuid, counter: n + 2, previousHash }), {
      privateKeyPem: keys.privateKeyPem,
      certificatePem,
    });
    previousHash = result.hash;
    return { invoice, qr: result.qr, xml: result.xml };
  });
}

/** Process CPU per call of `run` in ms, after a warm-up. */
async function cpuPerCall(count: number, run: (i: number) => unknown): Promise<number> {
  for (let i = 0; i < Math.min(50, count); i++) await run(i);
  const before = process.cpuUsage();
  for (let i = 0; i < count; i++) await run(i);
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000 / count;
}

/**
 * The parts of one issue measured in process (CPU ms per invoice): the totals, the ZATCA work (snapshot → input,
 * the EGS key decrypted, XML, hash, XAdES signature, QR) and the PDF (renderer input, PDF/A-3 with the XML, hash).
 * Each invoice differs from the last (number, quantities, amounts), as in sustained issuing.
 */
export async function issueParts(count = 200): Promise<{ totals: number; zatca: number; pdf: number }> {
  const invoices = nextInvoices(count + 50);
  const dataKey = randomBytes(32);
  const sealedKey = encrypt(dataKey, keys.privateKeyPem);
  const at = (i: number) => invoices[i % invoices.length] as (typeof invoices)[number];
  const totals = await cpuPerCall(count, (i) =>
    computeTotals({ jurisdiction: 'zatca', currency: 'SAR', lines: at(i).invoice.lines }),
  );
  const zatca = await cpuPerCall(count, (i) =>
    buildSignedInvoice(
      zatcaInput(at(i).invoice, { uuid: randomUUID(), counter: i + 2, previousHash: FIRST_PIH }),
      {
        privateKeyPem: decrypt(dataKey, sealedKey),
        certificatePem,
      },
    ),
  );
  const pdf = await cpuPerCall(count, (i) => issuePath(at(i).invoice, at(i)));
  return { totals, zatca, pdf };
}
