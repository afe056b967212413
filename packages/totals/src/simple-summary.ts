import type { TotalsResult } from './types';

/** The seed's preview response shape (seed 000 `POST /api/v1/preview/calculate`). */
export interface SimpleSummary {
  subtotal: string;
  vat_amount: string;
  total_amount: string;
}

/** Maps the engine's totals onto the seed's three numbers: BT-109, BT-110, BT-112. */
export function simpleSummary(result: TotalsResult): SimpleSummary {
  return {
    subtotal: result.totals.tax_exclusive_amount,
    vat_amount: result.totals.tax_amount,
    total_amount: result.totals.tax_inclusive_amount,
  };
}
