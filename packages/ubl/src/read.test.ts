import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Decimal, parseDecimal } from '@invoiceflow/totals';
import { describe, expect, it } from 'vitest';
import { readUblDocument, UblReadError } from './read';
import { validatorsDir } from './test-support/validator';

function examples(): string[] {
  const root = validatorsDir();
  const folders = [
    'ubl/pint-ae/billing/trn-invoice/example',
    'ubl/pint-ae/billing/trn-creditnote/example',
    'ubl/pint-ae/selfbilling/trn-invoice/example',
    'ubl/pint-ae/selfbilling/trn-creditnote/example',
    'ubl/peppol/examples-3.0.21',
    'ubl/peppol/examples-selfbilling-3.0.2',
    'ubl/en16931/examples',
    'zatca/sdk/Data/Samples',
  ];
  const files: string[] = [];
  for (const folder of folders) {
    const dir = path.join(root, folder);
    if (!existsSync(dir)) continue;
    const walk = (d: string) => {
      for (const entry of readdirSync(d, { withFileTypes: true })) {
        const full = path.join(d, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (entry.name.toLowerCase().endsWith('.xml')) files.push(full);
      }
    };
    walk(dir);
  }
  return files.sort();
}

const files = examples();
if (files.length === 0) {
  if (process.env.CI === 'true') throw new Error(`no official UBL examples under ${validatorsDir()}`);
  console.warn(
    `[ubl] SKIPPING the official examples: none under ${validatorsDir()} (set INVOICE_VALIDATORS_DIR)`,
  );
}

function dec(value: string | null | undefined): Decimal {
  const parsed = parseDecimal(value ?? '0');
  if (!parsed) throw new Error(`not a decimal: ${value}`);
  return parsed;
}

/** The first text of an element inside a block of the raw XML, found without a parser. */
function rawText(xml: string, block: string, element: string): string | undefined {
  const inside = new RegExp(`<cac:${block}>([\\s\\S]*?)</cac:${block}>`).exec(xml)?.[1];
  const found =
    inside && new RegExp(`<cbc:${element}(?:\\s[^>]*)?>([^<]*)</cbc:${element}>`).exec(inside)?.[1];
  return found?.trim().replaceAll('&amp;', '&');
}

describe.skipIf(files.length === 0)('the official examples read as supplier invoices', () => {
  it.each(files.map((file) => [path.relative(validatorsDir(), file), file]))('%s', (_name, file) => {
    const xml = readFileSync(file, 'utf8');
    const doc = readUblDocument(xml);
    const lineTag = /<CreditNote[\s>]/.test(xml) ? 'cac:CreditNoteLine' : 'cac:InvoiceLine';

    // Lines: every one, and their amounts add up to the stated line total (BR-CO-10).
    expect(doc.lines).toHaveLength(xml.split(`<${lineTag}>`).length - 1);
    const lineSum = doc.lines.reduce((sum, line) => sum.plus(dec(line.net_amount)), Decimal.of(0));
    // Compared in the currency's digits: one PINT AE example states a line of 999.375 AED.
    expect(lineSum.toFixed(2)).toBe(dec(doc.totals.line_extension).toFixed(2));
    for (const line of doc.lines) {
      expect(dec(line.quantity).isZero() && !dec(line.net_amount).isZero()).toBe(false);
      expect(line.name ?? line.description).toBeTruthy();
    }
    // Totals: net minus allowances plus charges (BR-CO-13) and the amount due (BR-CO-16) as stated.
    expect(
      dec(doc.totals.line_extension)
        .minus(dec(doc.totals.allowance_total))
        .plus(dec(doc.totals.charge_total))
        .eq(dec(doc.totals.tax_exclusive)),
    ).toBe(true);
    expect(
      dec(doc.totals.tax_inclusive)
        .minus(dec(doc.totals.prepaid))
        .plus(dec(doc.totals.rounding))
        .eq(dec(doc.totals.payable)),
    ).toBe(true);
    expect(doc.totals.payable).toBe(rawText(xml, 'LegalMonetaryTotal', 'PayableAmount'));
    // Parties as the document names them.
    const sellerName =
      rawText(xml, 'AccountingSupplierParty', 'RegistrationName') ??
      rawText(xml, 'AccountingSupplierParty', 'Name');
    expect(doc.seller.name).toBe(sellerName);
    expect(doc.seller.address?.country).toBe(rawText(xml, 'AccountingSupplierParty', 'IdentificationCode'));
    const sellerVat =
      /<cac:AccountingSupplierParty>[\s\S]*?<cac:PartyTaxScheme>\s*<cbc:CompanyID>([^<]+)</.exec(xml)?.[1];
    if (sellerVat) expect(doc.seller.vat_number).toBe(sellerVat.trim());
    expect(doc.currency).toMatch(/^[A-Z]{3}$/);
    const body = xml.replace(/<ext:UBLExtensions>[\s\S]*<\/ext:UBLExtensions>/, '');
    expect(doc.number).toBe(/<cbc:ID>([^<]+)<\/cbc:ID>/.exec(body)?.[1]?.trim());
  });

  it('knows the format from the customization', () => {
    const byFolder = (part: string) =>
      files.filter((f) => f.includes(part)).map((f) => readUblDocument(readFileSync(f, 'utf8')).format);
    expect(new Set(byFolder('/pint-ae/'))).toEqual(new Set(['pint-ae']));
    expect(new Set(byFolder('/peppol/examples-3.0.21'))).toEqual(new Set(['peppol-bis-3']));
    expect(new Set(byFolder('/zatca/'))).toEqual(new Set(['zatca']));
  });

  it('reads the AED tax total of a foreign-currency PINT AE invoice and the HS codes of goods', () => {
    const file = files.find((f) => f.endsWith('Standard.invoice.-.Extensive.xml'));
    if (!file) return;
    const doc = readUblDocument(readFileSync(file, 'utf8'));
    expect(doc.seller.vat_number).toMatch(/^\d{15}$/);
    expect(doc.buyer.name).toBeTruthy();
    expect(doc.tax_subtotals.length).toBeGreaterThan(0);
    if (doc.tax_currency && doc.tax_currency !== doc.currency)
      expect(doc.tax_total_in_tax_currency).not.toBeNull();
  });
});

const minimal = (body = '', root = 'Invoice') => `<?xml version="1.0" encoding="UTF-8"?>
<${root} xmlns="urn:oasis:names:specification:ubl:schema:xsd:${root}-2"
  xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
  xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <cbc:ID>INV-1</cbc:ID><cbc:IssueDate>2026-11-01</cbc:IssueDate><cbc:DocumentCurrencyCode>AED</cbc:DocumentCurrencyCode>
  <cac:AccountingSupplierParty><cac:Party><cac:PartyLegalEntity><cbc:RegistrationName>Tom &amp; Jerry&#x27;s LLC</cbc:RegistrationName></cac:PartyLegalEntity></cac:Party></cac:AccountingSupplierParty>
  ${body}
  <cac:LegalMonetaryTotal><cbc:LineExtensionAmount currencyID="AED">100.00</cbc:LineExtensionAmount><cbc:TaxExclusiveAmount currencyID="AED">100.00</cbc:TaxExclusiveAmount><cbc:TaxInclusiveAmount currencyID="AED">105.00</cbc:TaxInclusiveAmount><cbc:PayableAmount currencyID="AED">105.00</cbc:PayableAmount></cac:LegalMonetaryTotal>
  <cac:InvoiceLine><cbc:ID>1</cbc:ID><cbc:InvoicedQuantity unitCode="EA">2</cbc:InvoicedQuantity><cbc:LineExtensionAmount currencyID="AED">100.00</cbc:LineExtensionAmount><cac:OrderLineReference><cbc:LineID>3</cbc:LineID></cac:OrderLineReference><cac:Item><cbc:Name>Chair</cbc:Name></cac:Item><cac:Price><cbc:PriceAmount currencyID="AED">50.00</cbc:PriceAmount></cac:Price></cac:InvoiceLine>
</${root}>`;

function refusal(xml: string | Uint8Array, options?: Parameters<typeof readUblDocument>[1]) {
  try {
    readUblDocument(xml, options);
  } catch (error) {
    if (error instanceof UblReadError) return { code: error.code, path: error.path };
    throw error;
  }
  throw new Error('accepted');
}

describe('hostile and broken documents', () => {
  it('reads a minimal invoice, entities decoded once', () => {
    const doc = readUblDocument(minimal());
    expect(doc.seller.name).toBe("Tom & Jerry's LLC");
    expect(doc.lines[0]).toMatchObject({
      quantity: '2',
      unit_price: '50.00',
      order_line_ref: '3',
      name: 'Chair',
    });
    expect(readUblDocument(minimal('<cbc:Note>&amp;lt; stays &amp;lt;</cbc:Note>')).notes).toEqual([
      '&lt; stays &lt;',
    ]);
  });

  it('refuses an external entity (XXE)', () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE Invoice [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${minimal()
      .replace(/^<\?xml[^>]*>/, '')
      .replace('INV-1', '&xxe;')}`;
    expect(refusal(xxe)).toEqual({ code: 'XML_DOCTYPE_REFUSED', path: undefined });
  });

  it('refuses the billion laughs', () => {
    const lol = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`).join('')}]><lolz>&lol9;</lolz>`;
    expect(refusal(lol).code).toBe('XML_DOCTYPE_REFUSED');
    expect(refusal(lol.replace('<!DOCTYPE', '<!doctype')).code).toBe('XML_DOCTYPE_REFUSED');
  });

  it('refuses 50 MB before reading it, as text or as bytes', () => {
    const big = minimal(`<cbc:Note>${'x'.repeat(50 * 1024 * 1024)}</cbc:Note>`);
    expect(refusal(big).code).toBe('XML_TOO_LARGE');
    expect(refusal(Buffer.from(big)).code).toBe('XML_TOO_LARGE');
  });

  it('refuses nesting deeper than any invoice', () => {
    const deep = minimal(`${'<cbc:Note>'.repeat(10_000)}${'</cbc:Note>'.repeat(10_000)}`);
    expect(refusal(deep).code).toBe('XML_TOO_DEEP');
  });

  it('refuses what is not well-formed, undefined entities and bare ampersands', () => {
    expect(refusal(minimal('<cbc:Note>open')).code).toBe('XML_MALFORMED');
    expect(refusal(minimal('<cbc:Note>&nbsp;</cbc:Note>')).code).toBe('XML_MALFORMED');
    expect(refusal(minimal('<cbc:Note>a & b</cbc:Note>')).code).toBe('XML_MALFORMED');
    expect(refusal(minimal('<cbc:Note>&#0;</cbc:Note>')).code).toBe('XML_MALFORMED');
  });

  it('refuses other documents and other namespaces', () => {
    expect(refusal('<?xml version="1.0"?><Order><ID>1</ID></Order>').code).toBe('NOT_UBL_INVOICE');
    expect(refusal(minimal().replace('xsd:Invoice-2', 'xsd:Invoice-9')).code).toBe('NOT_UBL_INVOICE');
  });

  it('names the missing or invalid element', () => {
    expect(refusal(minimal().replace(/<cbc:PayableAmount[^/]*\/cbc:PayableAmount>/, ''))).toEqual({
      code: 'UBL_FIELD_MISSING',
      path: 'LegalMonetaryTotal/PayableAmount',
    });
    expect(refusal(minimal().replace('>50.00<', '>50,00<'))).toEqual({
      code: 'UBL_FIELD_INVALID',
      path: 'InvoiceLine[1]/Price/PriceAmount',
    });
    expect(refusal(minimal().replace(/<cac:InvoiceLine>[\s\S]*<\/cac:InvoiceLine>/, '')).code).toBe(
      'UBL_FIELD_MISSING',
    );
  });
});
