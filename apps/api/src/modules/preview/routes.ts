import { buyerIssues, profileForRules } from '@invoiceflow/jurisdictions';
import { computeTotals, DEFAULT_JURISDICTION, isJurisdiction } from '@invoiceflow/totals';
import type { FastifyInstance } from 'fastify';
import { validationError } from '../../lib/errors';
import { problemSchema } from '../../lib/schemas';
import { engineErrors, readDocument } from '../invoices/document-input';
import { previewBodySchema, previewResponseSchema } from './schemas';
import { serializePreview } from './serialize';

/**
 * The live preview: totals and field errors for the editor, from the same engine that issues. No database:
 * the token is checked by signature alone (`auth: 'token'`, a cache hit after the first call), or there is none
 * (an anonymous caller, counted per address), the body is read
 * by hand (document-input.ts: every field error at once, in a 200), and the answer is written field by field
 * (serialize.ts); the Zod schemas document the route.
 */
export async function previewRoutes(app: FastifyInstance) {
  app.post(
    '/api/v1/preview/calculate',
    {
      // Outside the per-address flood guard: the editor calls this on every keystroke, so an office of typists
      // behind one NAT address would spend the shared budget (RATE_LIMIT_PER_MINUTE) on it and be refused
      // everywhere; and the guard's hook cost ≈ 15 µs of this route's ≈ 120. The route reads no database and checks
      // the token's signature before anything else. It answers without a token too (a visitor trying the
      // editor), within a per-address budget for such anonymous callers (ANONYMOUS_PER_MINUTE).
      config: { auth: 'token', allowAnonymous: true, rateLimit: false },
      // Called on every keystroke of the editor: two access-log lines each would be most of the log and a good
      // part of the request's cost. Warnings and errors are still logged.
      logLevel: 'warn',
      schema: {
        tags: ['invoices'],
        summary: 'Totals, per-line and per-category breakdown and field errors for an invoice being typed',
        body: previewBodySchema,
        response: { 200: previewResponseSchema, 400: problemSchema, 401: problemSchema },
      },
      validatorCompiler: () => (data) => ({ value: data }),
      serializerCompiler: ({ httpStatus }) =>
        httpStatus === '200'
          ? (data) => serializePreview(data as PreviewAnswer)
          : (data) => JSON.stringify(data),
    },
    // Not async: the answer is sent straight away, without a promise per request.
    (request, reply) => {
      const body = request.body;
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        throw validationError([{ path: '', code: 'INVALID_TYPE', message: 'Send a JSON object.' }]);
      }
      reply.send(previewDocument(body as Record<string, unknown>));
    },
  );
}

export type PreviewAnswer = ReturnType<typeof previewDocument>;

export function previewDocument(body: Record<string, unknown>) {
  const claimed = body.jurisdiction;
  const jurisdiction = isJurisdiction(claimed) ? claimed : undefined;
  const read = readDocument(body, jurisdiction);
  if (claimed !== undefined && jurisdiction === undefined) {
    read.errors.push({
      path: 'jurisdiction',
      code: 'JURISDICTION_UNKNOWN',
      message: 'Use SA, AE or GENERIC.',
    });
  }
  const result = computeTotals(read.input);
  const errors = engineErrors(result, read);
  // Buyer rules once the editor has a buyer section (the seed's bare line_items preview has none).
  const hasBuyer = 'customer_name' in body || 'customer_vat_number' in body || 'customer_address' in body;
  // The generic profile's buyer rules need the seller's country, which a bare preview does not name.
  const seller = profileForRules(jurisdiction ?? DEFAULT_JURISDICTION);
  if (hasBuyer && seller) {
    const vat = typeof body.customer_vat_number === 'string' ? body.customer_vat_number : undefined;
    errors.push(
      ...buyerIssues(
        {
          name_en: typeof body.customer_name === 'string' ? body.customer_name : undefined,
          vat_number: vat,
          address: body.customer_address as never,
        },
        {
          seller,
          subtype:
            body.subtype === 'standard' || (body.subtype === undefined && vat) ? 'standard' : 'simplified',
          paths: { name: 'customer_name', vat_number: 'customer_vat_number', address: 'customer_address' },
        },
      ),
    );
  }
  const { totals } = result;
  // The seed's three numbers (simpleSummary's mapping, BT-109/110/112), written out: spreading a fresh object
  // into this literal cost ≈ 5 µs a request.
  return {
    subtotal: totals.tax_exclusive_amount,
    vat_amount: totals.tax_amount,
    total_amount: totals.tax_inclusive_amount,
    is_valid: errors.length === 0,
    errors,
    currency: totals.currency,
    lines: result.lines,
    allowances_charges: result.allowances_charges,
    vat_breakdown: result.vat_breakdown,
    totals,
  };
}
