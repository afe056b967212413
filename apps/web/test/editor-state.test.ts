import { computeTotals } from '@invoiceflow/totals';
import { describe, expect, it } from 'vitest';
import {
  editorReducer,
  emptyState,
  fromDraftData,
  groupIssues,
  issueField,
  toDocumentInput,
  toIssueBody,
  toPreviewBody,
} from '../src/pages/invoice-editor/editor-state';

const base = () => emptyState('zatca', 'SAR', '2026-11-21');

describe('invoice editor state', () => {
  it('replaces only the edited line object, so the other memoized rows keep their props', () => {
    let state = editorReducer(base(), { type: 'addLine' });
    const [first, second] = state.lines;
    state = editorReducer(state, { type: 'updateLine', key: second?.key ?? '', patch: { quantity: '3' } });
    expect(state.lines[0]).toBe(first);
    expect(state.lines[1]).not.toBe(second);
    expect(state.lines[1]?.quantity).toBe('3');
  });

  it('gives a new category its usual rate (15 % standard in KSA, 0 % zero-rated)', () => {
    let state = base();
    const key = state.lines[0]?.key ?? '';
    state = editorReducer(state, { type: 'updateLine', key, patch: { vat_category: 'Z' } });
    expect(state.lines[0]?.vat_rate).toBe('0');
    state = editorReducer(state, { type: 'updateLine', key, patch: { vat_category: 'S' } });
    expect(state.lines[0]?.vat_rate).toBe('15');
  });

  it('computes the preview from the same input the server reads: line and document discounts', () => {
    let state = base();
    const key = state.lines[0]?.key ?? '';
    state = editorReducer(state, {
      type: 'updateLine',
      key,
      patch: { description: 'Hosting', quantity: '3', unit_price: '1250', discount_percent: '10' },
    });
    state = editorReducer(state, { type: 'addAdjustment', is_charge: false });
    state = editorReducer(state, {
      type: 'updateAdjustment',
      key: state.adjustments[0]?.key ?? '',
      patch: { value: '5' },
    });
    const result = computeTotals(toDocumentInput(state));
    expect(result.errors).toEqual([]);
    expect(result.totals.line_extension_amount).toBe('3375.00');
    expect(result.totals.allowance_total_amount).toBe('168.75');
    expect(result.totals.payable_amount).toBe('3687.19');
  });

  it('round-trips through a saved draft (the issue body), customer by id', () => {
    let state = base();
    const key = state.lines[0]?.key ?? '';
    state = editorReducer(state, {
      type: 'updateLine',
      key,
      patch: {
        description: 'Rice',
        quantity: '2',
        unit_price: '40',
        vat_category: 'Z',
        exemption_reason_code: 'VATEX-SA-32',
        discount_percent: '5',
      },
    });
    state = editorReducer(state, {
      type: 'setCustomer',
      customer: {
        id: '6954eb4c-945f-49fb-b468-f1981d65ec9d',
        name_en: 'Acme',
        name_ar: null,
        vat_number: null,
        address: null,
      },
    });
    state = editorReducer(state, { type: 'setField', field: 'notes', value: 'Thanks' });
    const body = toIssueBody(state);
    expect(body.customer_id).toBe('6954eb4c-945f-49fb-b468-f1981d65ec9d');
    const { state: back, customerId } = fromDraftData(JSON.parse(JSON.stringify(body)), {
      jurisdiction: 'zatca',
      currency: 'SAR',
    });
    expect(customerId).toBe('6954eb4c-945f-49fb-b468-f1981d65ec9d');
    expect(toIssueBody({ ...back, customer: state.customer })).toEqual(body);
  });

  it('reads a broken draft without throwing and starts with one line', () => {
    const { state } = fromDraftData(
      { lines: 'nope', currency: 42 },
      { jurisdiction: 'pint-ae', currency: 'AED' },
    );
    expect(state.lines).toHaveLength(1);
    expect(state.lines[0]?.vat_rate).toBe('5');
    expect(state.currency).toBe('AED');
  });

  it('puts each engine issue beside its field', () => {
    const result = computeTotals({
      jurisdiction: 'zatca',
      lines: [
        { quantity: '1', unit_price: '10' },
        { quantity: '1', unit_price: '', vat_category: 'S', vat_rate: '7' },
      ],
    });
    const grouped = groupIssues(result.errors);
    expect(grouped.byLine.has(0)).toBe(false);
    expect(grouped.byLine.get(1)?.map((i) => [issueField(i.path), i.code])).toEqual([
      ['unit_price', 'BR-26'],
      ['vat_rate', 'BR-KSA-84'],
    ]);
    expect(issueField('lines.3.allowances_charges.0.percent')).toBe('discount_percent');
    expect(issueField('allowances_charges.0.amount')).toBe('value');
  });

  it('sends a UAE invoice’s e-invoice fields and a line’s item type, and reads them back from the draft', () => {
    let state = emptyState('pint-ae', 'AED', '2026-12-01');
    state = editorReducer(state, { type: 'setFlag', flag: 'continuous_supply', value: true });
    state = editorReducer(state, { type: 'setOutOfScope', value: true });
    state = editorReducer(state, { type: 'setEInvoiceField', field: 'beneficiary_id', value: ' FZ-1 ' });
    state = editorReducer(state, { type: 'setEInvoiceField', field: 'period_start', value: '2026-11-01' });
    const key = state.lines[0]?.key ?? '';
    state = editorReducer(state, {
      type: 'updateLine',
      key,
      patch: { item_type: 'goods', hs_code: '851713' },
    });
    // A period is sent once it has both ends.
    expect('invoice_period' in toIssueBody(state)).toBe(false);
    state = editorReducer(state, { type: 'setEInvoiceField', field: 'period_end', value: '2026-11-30' });
    state = editorReducer(state, { type: 'setEInvoiceField', field: 'period_frequency', value: 'MTH' });
    const body = toIssueBody(state);
    expect(body).toMatchObject({
      transaction_flags: { continuous_supply: true },
      out_of_scope: true,
      beneficiary_id: 'FZ-1',
      invoice_period: { start_date: '2026-11-01', end_date: '2026-11-30', frequency: 'MTH' },
      lines: [expect.objectContaining({ item_type: 'goods', hs_code: '851713' })],
    });
    expect('principal_id' in body).toBe(false);
    expect('service_code' in ((body.lines as object[])[0] ?? {})).toBe(false);
    const { state: back } = fromDraftData(body, state);
    expect(back.einvoice).toEqual({ ...state.einvoice, beneficiary_id: 'FZ-1' });
    expect(back.transaction_flags.continuous_supply).toBe(true);
    expect(back.lines[0]).toMatchObject({ item_type: 'goods', hs_code: '851713', service_code: '' });
  });

  it('sends the buyer id and the transaction flags to the issue and the preview, and reads them back', () => {
    let state = base();
    state = editorReducer(state, { type: 'setField', field: 'buyer_id_scheme', value: 'TIN' });
    state = editorReducer(state, { type: 'setField', field: 'buyer_id_number', value: ' GB123456789 ' });
    state = editorReducer(state, { type: 'setFlag', flag: 'export', value: true });
    state = editorReducer(state, { type: 'setFlag', flag: 'nominal', value: false });
    const body = toIssueBody(state);
    expect(body).toMatchObject({
      customer_id_scheme: 'TIN',
      customer_id_number: 'GB123456789',
      transaction_flags: { export: true },
    });
    expect(body.transaction_flags).toEqual({ export: true });
    expect(toPreviewBody(state)).toMatchObject({
      customer_id_number: 'GB123456789',
      transaction_flags: { export: true },
    });
    const { state: back } = fromDraftData(body, state);
    expect(back).toMatchObject({ buyer_id_scheme: 'TIN', buyer_id_number: 'GB123456789' });
    expect(back.transaction_flags.export).toBe(true);
    // A scheme without its number is not sent: the customer's own id stands.
    const schemeOnly = editorReducer(base(), { type: 'setField', field: 'buyer_id_scheme', value: 'NAT' });
    expect('customer_id_scheme' in toIssueBody(schemeOnly)).toBe(false);
  });
});
