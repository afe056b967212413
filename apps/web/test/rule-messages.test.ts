// The editor words an engine issue as the API does: in Arabic from the one rule table the API answers with.
import { computeTotals } from '@invoiceflow/totals';
import { arabicMessageOf } from '@invoiceflow/zatca/rule-table';
import { describe, expect, it } from 'vitest';
import { issueMessage } from '../src/pages/invoice-editor/rule-messages';

describe('the editor’s rule messages', () => {
  it('shows an Arabic reader the message the API answers for the same rule', () => {
    const { errors } = computeTotals({
      jurisdiction: 'zatca',
      currency: 'SAR',
      lines: [
        { description: 'Consulting', quantity: '1', unit_price: '100', vat_category: 'S', vat_rate: '7' },
        { description: 'Hours', quantity: '-1', unit_price: '100', vat_category: 'S', vat_rate: '15' },
      ],
    });
    expect(errors.length).toBeGreaterThan(0);
    for (const issue of errors) expect(issueMessage(issue, 'ar')).toBe(arabicMessageOf(issue.code));
  });

  it('keeps the engine’s own message for a code the product has no Arabic for, and English for English', () => {
    expect(issueMessage({ code: 'SOMETHING_NEW', message: 'Something new.' }, 'ar')).toBe('Something new.');
    expect(issueMessage({ code: 'BR-KSA-84', message: 'The standard rate is 5 or 15 %.' }, 'en')).toBe(
      'The standard rate is 5 or 15 %.',
    );
  });
});
