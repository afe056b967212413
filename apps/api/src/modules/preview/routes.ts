import {
  buyerIssues,
  type JurisdictionProfile,
  profileForRules,
  REGIME_NAMES,
  rateListIssues,
  rulesOfRegime,
} from '@invoiceflow/jurisdictions';
import { computeTotals, DEFAULT_RULE_SET } from '@invoiceflow/totals';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, validationError } from '../../lib/errors';
import { problemSchema } from '../../lib/schemas';
import { COMPANY_HEADER } from '../../plugins/auth';
import { engineErrors, readDocument } from '../invoices/document-input';
import { describeIssues, splitBySeverity } from '../invoices/issue-messages';
import { type CallerRules, type CompanyRules, CompanyRulesCache } from './company-rules';
import { previewBodySchema, previewResponseSchema } from './schemas';
import { serializePreview } from './serialize';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The live preview: totals and field errors for the editor, from the same engine that issues. The token is
 * checked by signature alone (`auth: 'token'`, a cache hit after the first call), or there is none (an anonymous
 * caller, counted per address, judged by the body's `jurisdiction`). A signed-in caller's invoice is judged by
 * the company's profile, read once per login and company and kept a few seconds (company-rules.ts), so keystrokes
 * do not reach the database. The body is read by hand (document-input.ts: every field error at once, in a 200),
 * and the answer is written field by field (serialize.ts); the Zod schemas document the route.
 */
export async function previewRoutes(app: FastifyInstance) {
  const companies = new CompanyRulesCache(app.ctx.db);
  app.post(
    '/api/v1/preview/calculate',
    {
      // Outside the per-address flood guard: the editor calls this on every keystroke, so an office of typists
      // behind one NAT address would spend the shared budget (RATE_LIMIT_PER_MINUTE) on it and be refused
      // everywhere; and the guard's hook cost ≈ 15 µs of this route's ≈ 120. The route checks the token's signature
      // before anything else, and reads the database only for a caller's company it does not know yet. It answers without a token too (a visitor trying the
      // editor), within a per-address budget for such anonymous callers (ANONYMOUS_PER_MINUTE).
      config: { auth: 'token', allowAnonymous: true, rateLimit: false },
      // Called on every keystroke of the editor: two access-log lines each would be most of the log and a good
      // part of the request's cost. Warnings and errors are still logged.
      logLevel: 'warn',
      schema: {
        tags: ['invoices'],
        summary: 'Totals, per-line and per-category breakdown and field errors for an invoice being typed',
        body: previewBodySchema,
        response: { 200: previewResponseSchema, 400: problemSchema, 401: problemSchema, 404: problemSchema },
      },
      validatorCompiler: () => (data) => ({ value: data }),
      serializerCompiler: ({ httpStatus }) =>
        httpStatus === '200'
          ? (data) => serializePreview(data as PreviewAnswer)
          : (data) => JSON.stringify(data),
    },
    // Not async: the answer is sent straight away, without a promise per request, once the company is known.
    (request, reply) => {
      const body = request.body;
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        throw validationError([{ path: '', code: 'INVALID_TYPE', message: 'Send a JSON object.' }]);
      }
      const document = body as Record<string, unknown>;
      const { userId, familyId } = request.auth;
      if (!userId) return reply.send(previewDocument(document));
      const companyId = requestedCompany(request);
      const key = `${userId} ${familyId} ${companyId ?? ''}`;
      const known = companies.peek(key);
      if (known !== undefined) return answer(reply, document, known, companyId);
      companies.load(key, { userId, familyId, companyId }).then(
        (rules) => answer(reply, document, rules, companyId),
        (error: unknown) => reply.send(error),
      );
    },
  );
}

/** X-Company-Id as the company routes read it; null: the caller's default company. */
function requestedCompany(request: FastifyRequest): string | null {
  const header = request.headers[COMPANY_HEADER];
  if (typeof header !== 'string' || header === '') return null;
  if (!UUID.test(header)) throw new AppError('COMPANY_NOT_FOUND');
  return header;
}

function answer(
  reply: FastifyReply,
  body: Record<string, unknown>,
  rules: CallerRules,
  companyId: string | null,
): void {
  if (rules === 'signed-out') {
    reply.send(new AppError('TOKEN_INVALID'));
    return;
  }
  // A company named that the caller is not a member of does not exist for them (404, as on every company route);
  // a caller without any company is judged like a visitor.
  if (!rules && companyId !== null) {
    reply.send(new AppError('COMPANY_NOT_FOUND'));
    return;
  }
  reply.send(previewDocument(body, rules ?? undefined));
}

export type PreviewAnswer = ReturnType<typeof previewDocument>;

/**
 * The preview of a document: by the signed-in caller's company (its profile's rule set and buyer rules, its
 * currency and rate list, as issuing judges) or, for a visitor, by the regime the body names (`jurisdiction`).
 */
export function previewDocument(body: Record<string, unknown>, company?: CompanyRules) {
  let seller: JurisdictionProfile | undefined;
  let read: ReturnType<typeof readDocument>;
  if (company) {
    seller = company.profile;
    read = readDocument(body, seller.rules);
    read.input.currency ??= company.currency;
  } else {
    const claimed = body.jurisdiction;
    const rules = rulesOfRegime(claimed);
    read = readDocument(body, rules ?? DEFAULT_RULE_SET);
    if (claimed !== undefined && rules === undefined) {
      read.errors.push({
        path: 'jurisdiction',
        code: 'JURISDICTION_UNKNOWN',
        message: `Use ${REGIME_NAMES.join(', ').replace(/, (?=[^,]*$)/, ' or ')}.`,
      });
    }
    // The generic profile's buyer rules need the seller's country, which a visitor's preview does not name.
    seller = profileForRules(rules ?? DEFAULT_RULE_SET);
  }
  const result = computeTotals(read.input);
  const errors = engineErrors(result, read);
  if (company?.rates) errors.push(...rateListIssues(company.rates, result, read.linesKey));
  // Buyer rules once the editor has a buyer section (the seed's bare line_items preview has none).
  const hasBuyer = 'customer_name' in body || 'customer_vat_number' in body || 'customer_address' in body;
  if (hasBuyer && seller) {
    const vat = typeof body.customer_vat_number === 'string' ? body.customer_vat_number : undefined;
    const flags = body.transaction_flags as { export?: unknown } | undefined;
    const isExport = typeof flags === 'object' && flags !== null && flags.export === true;
    errors.push(
      ...buyerIssues(
        {
          name_en: typeof body.customer_name === 'string' ? body.customer_name : undefined,
          vat_number: vat,
          id_number: typeof body.customer_id_number === 'string' ? body.customer_id_number : undefined,
          address: body.customer_address as never,
        },
        {
          seller,
          isExport,
          subtype:
            body.subtype === 'standard' || (body.subtype === undefined && (vat || isExport))
              ? 'standard'
              : 'simplified',
          paths: { name: 'customer_name', vat_number: 'customer_vat_number', address: 'customer_address' },
        },
      ),
    );
  }
  // Under ZATCA's rules, what ZATCA only warns about does not block the issue: shown apart, as warnings.
  const judged = splitBySeverity(errors, seller?.rules === 'zatca');
  const { totals } = result;
  // The seed's three numbers (simpleSummary's mapping, BT-109/110/112), written out: spreading a fresh object
  // into this literal cost ≈ 5 µs a request.
  return {
    subtotal: totals.tax_exclusive_amount,
    vat_amount: totals.tax_amount,
    total_amount: totals.tax_inclusive_amount,
    is_valid: judged.errors.length === 0,
    errors: describeIssues(judged.errors),
    warnings: describeIssues(judged.warnings),
    currency: totals.currency,
    lines: result.lines,
    allowances_charges: result.allowances_charges,
    vat_breakdown: result.vat_breakdown,
    totals,
  };
}
