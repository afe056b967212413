import { type Db, schema } from '@invoiceflow/db';
import { eq } from '@invoiceflow/db/orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../lib/actor';
import { auditorFor } from '../../lib/audit';
import { decimalSchema } from '../../lib/decimal-input';
import { problemResponses } from '../../lib/schemas';

const { payablesSettings } = schema;

const notNegative = decimalSchema.refine((v) => !v.startsWith('-'), {
  message: 'A tolerance is zero or more.',
  params: { code: 'NEGATIVE' },
});

/** Matching tolerances: null leaves that part unchecked (the matching package's Tolerance). */
export const settingsInputSchema = z.strictObject({
  price_percent: notNegative.nullable(),
  price_absolute: notNegative.nullable(),
  quantity_percent: notNegative.nullable(),
  quantity_absolute: notNegative.nullable(),
  over_receipt_percent: notNegative,
});

export const settingsSchema = z.object({
  price_percent: z.string().nullable(),
  price_absolute: z.string().nullable(),
  quantity_percent: z.string().nullable(),
  quantity_absolute: z.string().nullable(),
  over_receipt_percent: z.string(),
});

/** A company that never set its tolerances gets the matching package's defaults (5 % price, no over-billing). */
const DEFAULTS = {
  price_percent: '5',
  price_absolute: null,
  quantity_percent: '0',
  quantity_absolute: null,
  over_receipt_percent: '0',
};

export async function readPayablesSettings(db: Db, { companyId }: { companyId: string }) {
  const [row] = await db.select().from(payablesSettings).where(eq(payablesSettings.companyId, companyId));
  if (!row) return { ...DEFAULTS };
  return {
    price_percent: row.pricePercent,
    price_absolute: row.priceAbsolute,
    quantity_percent: row.quantityPercent,
    quantity_absolute: row.quantityAbsolute,
    over_receipt_percent: row.overReceiptPercent,
  };
}

const audit = auditorFor('payables_settings');

/** GET/PUT /api/v1/payables/settings: the company's matching and over-receipt tolerances. */
export async function payablesSettingsRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = app.ctx;
  const tags = ['payables'];

  r.get(
    '/api/v1/payables/settings',
    {
      config: { permission: 'payables:read' },
      schema: {
        tags,
        summary: 'The company matching tolerances (defaults until set)',
        response: { 200: settingsSchema, ...problemResponses },
      },
    },
    async (request) => readPayablesSettings(ctx.db, { companyId: request.auth.companyId }),
  );

  r.put(
    '/api/v1/payables/settings',
    {
      config: { permission: 'settings:write' },
      schema: {
        tags,
        summary:
          'Set the matching tolerances (price and quantity, percent and absolute) and the over-receipt limit',
        body: settingsInputSchema,
        response: { 200: settingsSchema, ...problemResponses },
      },
    },
    async (request) => {
      const companyId = request.auth.companyId;
      const b = request.body;
      const values = {
        pricePercent: b.price_percent,
        priceAbsolute: b.price_absolute,
        quantityPercent: b.quantity_percent,
        quantityAbsolute: b.quantity_absolute,
        overReceiptPercent: b.over_receipt_percent,
        updatedAt: new Date(),
      };
      return ctx.db.transaction(async (tx) => {
        await tx
          .insert(payablesSettings)
          .values({ companyId, ...values })
          .onConflictDoUpdate({ target: payablesSettings.companyId, set: values });
        await audit(tx, companyId, actorOf(request), 'payables_settings.updated', companyId, { ...b });
        return readPayablesSettings(tx, { companyId });
      });
    },
  );
}
