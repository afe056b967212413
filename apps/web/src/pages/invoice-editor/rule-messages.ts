import type { TotalsIssue } from '@invoiceflow/totals';
// The rule table alone (no XML or signing code): the same Arabic the API answers with, written once.
import { knownArabicMessage } from '@invoiceflow/zatca/rule-table';
import type { Locale } from '../../i18n/catalogs';

/**
 * An issue's message in the reader's language: the Arabic of its rule or product code where the product has one,
 * the engine's own (English) message otherwise. The code (official rule id where one exists) is always shown
 * beside it, so a user can look the rule up.
 */
export function issueMessage(issue: Pick<TotalsIssue, 'code' | 'message'>, locale: Locale): string {
  return (locale === 'ar' && knownArabicMessage(issue.code)) || issue.message;
}
