// What the preview judges a signed-in caller's invoice by: the company's jurisdiction profile (rule set, buyer
// rules), its currency and, where the profile lets each company keep its own rates, that list: the same as
// issuing judges by, so the editor shows the errors the issue would answer.
import type { Db } from '@invoiceflow/db';
import { type JurisdictionProfile, profileFor } from '@invoiceflow/jurisdictions';
import { findCallerCompany } from './queries';

export interface CompanyRules {
  profile: JurisdictionProfile;
  currency: string;
  /** The rates the company charges, when its profile keeps a list per company; undefined: the rule set judges. */
  rates?: ReadonlySet<string>;
}

/**
 * Seconds a caller's company rules are kept: the editor previews on every keystroke, and one query per keystroke
 * would cost more than the preview itself. A rate added in the settings reaches the preview within this time;
 * issuing always reads the list afresh.
 */
const TTL_MS = 5_000;
const MAX_ENTRIES = 10_000;

/**
 * What a signed-in caller is judged by: the company's rules; `null` when the caller has no such company;
 * 'signed-out' when the login was signed out (or the user deactivated) since the token was issued.
 */
export type CallerRules = CompanyRules | null | 'signed-out';

/** Per login and requested company. */
export class CompanyRulesCache {
  private readonly entries = new Map<string, { expiresAt: number; rules: CallerRules }>();

  constructor(private readonly db: Db) {}

  /** The rules when known and fresh (the keystroke path, without a promise). */
  peek(key: string, now = Date.now()): CallerRules | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.rules;
  }

  async load(
    key: string,
    caller: { userId: string; familyId: string; companyId: string | null },
    now = Date.now(),
  ): Promise<CallerRules> {
    const row = await findCallerCompany(this.db, caller);
    let rules: CallerRules = 'signed-out';
    if (row?.is_signed_in) {
      rules = null;
      if (row.country !== null && row.currency !== null) {
        const profile = profileFor(row.country);
        rules = {
          profile,
          currency: row.currency,
          rates: profile.taxRates.kind === 'company' ? new Set(row.rates ?? []) : undefined,
        };
      }
    }
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(key, { expiresAt: now + TTL_MS, rules });
    return rules;
  }
}
