// Per-company transmission settings, and the outbox's door: queue an invoice's transmission in the transaction
// that sends it, answer its statuses and attempts, resubmit a failed one.
import { createHash } from 'node:crypto';
import type { Db } from '@invoiceflow/db';
import type { TransmissionProvider } from '@invoiceflow/db/schema';
import type { AppContext } from '../../context';
import type { Actor } from '../../lib/actor';
import { auditorFor, recordAudit } from '../../lib/audit';
import { decrypt, encrypt } from '../../lib/crypto';
import { AppError, defineErrors } from '../../lib/errors';
import { linkBase } from '../auth/verification';
import { getUblDocument } from '../einvoice/queries';
import { getInvoice } from '../invoices/queries';
import type { AdapterSettings, TransmissionAdapter } from './adapter';
import { ADAPTERS, adapterFor } from './adapters';
import * as q from './queries';

defineErrors({
  TRANSMISSION_NOT_CONFIGURED: [404, 'No access point or service provider is configured for this company.'],
  TRANSMISSION_SETTINGS_REJECTED: [422, 'The provider refused a test call with these settings.'],
  INVOICE_NOT_TRANSMITTABLE: [
    409,
    'This invoice has no Peppol or PINT AE document to transmit (an issued invoice of a Peppol profile has one).',
  ],
  TRANSMISSION_NOT_FOUND: [404, 'This invoice has not been queued for transmission.'],
  TRANSMISSION_NOT_FAILED: [409, 'Only a failed transmission is submitted again.'],
});

export const TRANSMISSION_JOB = 'transmission.submit';

const audit = auditorFor('transmission');

/**
 * The idempotency key of an invoice's transmission (the SBDH instance id): a name-based UUID (RFC 9562 §5.5 layout,
 * SHA-256 instead of SHA-1) of the invoice and generation, so every attempt, every process and a restart after a
 * crash send the same key, and the provider can recognise a document it already has.
 */
export function instanceIdOf(invoiceId: string, generation: number): string {
  const hash = createHash('sha256').update(`invoiceflow:transmission:${invoiceId}:${generation}`).digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function adapterOfSettings(
  ctx: AppContext,
  settings: { provider: TransmissionProvider; baseUrl: string; credentialsSealed: string },
): TransmissionAdapter {
  const adapterSettings: AdapterSettings = {
    base_url: settings.baseUrl,
    credentials: storedCredentials(ctx, settings.credentialsSealed),
    timeout_ms: ctx.config.TRANSMISSION_TIMEOUT_MS,
  };
  return adapterFor(settings.provider, adapterSettings);
}

/** The URL the company gives its provider: where its webhooks or forwarded documents reach this company. */
export function webhookUrlOf(
  ctx: AppContext,
  companyId: string,
  provider: TransmissionProvider,
): string | null {
  const path = { webhook: 'webhook', forward: 'inbound', pull: null }[ADAPTERS[provider].inbound];
  return path && `${linkBase(ctx.config)}/api/v1/public/transmission/${provider}/${companyId}/${path}`;
}

function storedCredentials(ctx: AppContext, credentialsSealed: string): Record<string, string> {
  return JSON.parse(decrypt(ctx.secrets.dataKey, credentialsSealed)) as Record<string, string>;
}

export function presentSettings(
  ctx: AppContext,
  row: {
    companyId: string;
    provider: TransmissionProvider;
    baseUrl: string;
    credentialsSealed: string;
    updatedAt: Date;
  },
) {
  const stored = storedCredentials(ctx, row.credentialsSealed);
  return {
    provider: row.provider,
    base_url: row.baseUrl,
    has_credentials: true,
    credentials_set: ADAPTERS[row.provider].credentials
      .map((field) => field.name)
      .filter((name) => Boolean(stored[name])),
    webhook_url: webhookUrlOf(ctx, row.companyId, row.provider),
    updated_at: row.updatedAt.toISOString(),
  };
}

/** Every provider a company can choose, with the credentials its form asks for: straight from the registry. */
export function listProviders() {
  const providers = Object.keys(ADAPTERS) as TransmissionProvider[];
  return {
    items: providers.map((provider) => {
      const entry = ADAPTERS[provider];
      return {
        provider,
        label: entry.label,
        credentials: entry.credentials.map(({ name, required, secret }) => ({
          name,
          is_required: required,
          is_secret: secret,
        })),
        inbound: entry.inbound,
      };
    }),
  };
}

export async function readSettings(ctx: AppContext, companyId: string) {
  const row = await q.getSettings(ctx.db, { companyId });
  if (!row) throw new AppError('TRANSMISSION_NOT_CONFIGURED');
  return presentSettings(ctx, row);
}

/**
 * The credentials a save leaves: on the provider already configured, what the input leaves out keeps its stored
 * value (the web app never has the secrets to send back) and null removes it; a new provider starts from nothing.
 */
function mergeCredentials(
  provider: TransmissionProvider,
  stored: Record<string, string>,
  input: Record<string, string | null>,
): Record<string, string> {
  const fields = ADAPTERS[provider].credentials;
  const known = new Set(fields.map((field) => field.name));
  const unknown = Object.keys(input).filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new AppError('VALIDATION_FAILED', {
      errors: unknown.map((name) => ({
        path: `credentials.${name}`,
        code: 'UNKNOWN_FIELD',
        message: `${provider} has no credential ${name}.`,
      })),
    });
  }
  const merged: Record<string, string> = {};
  for (const { name } of fields) {
    const value = name in input ? input[name] : stored[name];
    if (value) merged[name] = value;
  }
  const missing = fields.filter((field) => field.required && !merged[field.name]);
  if (missing.length > 0) {
    throw new AppError('VALIDATION_FAILED', {
      errors: missing.map(({ name }) => ({
        path: `credentials.${name}`,
        code: 'REQUIRED',
        message: `${provider} needs ${name}.`,
      })),
    });
  }
  return merged;
}

/** Saves the settings once a harmless call with them worked; the credentials are sealed with the data key. */
export async function saveSettings(
  ctx: AppContext,
  companyId: string,
  actor: Actor,
  input: { provider: TransmissionProvider; base_url: string; credentials: Record<string, string | null> },
) {
  const current = await q.getSettings(ctx.db, { companyId });
  const stored =
    current && current.provider === input.provider ? storedCredentials(ctx, current.credentialsSealed) : {};
  const credentials = mergeCredentials(input.provider, stored, input.credentials);
  const adapter = adapterFor(input.provider, {
    base_url: input.base_url,
    credentials,
    timeout_ms: ctx.config.TRANSMISSION_TIMEOUT_MS,
  });
  const problem = await adapter.check();
  if (problem !== null) {
    // The provider's words may help the user; the credentials were never part of them.
    throw new AppError('TRANSMISSION_SETTINGS_REJECTED', {
      errors: [{ path: 'base_url', code: 'PROVIDER_CHECK_FAILED', message: problem.slice(0, 300) }],
    });
  }
  return ctx.db.transaction(async (tx) => {
    await q.saveSettings(tx, {
      companyId,
      provider: input.provider,
      baseUrl: input.base_url,
      credentialsSealed: encrypt(ctx.secrets.dataKey, JSON.stringify(credentials)),
    });
    await audit(tx, companyId, actor, 'transmission_settings.updated', companyId, {
      provider: input.provider,
      base_url: input.base_url,
      credentials_set: Object.keys(credentials),
    });
    const row = await q.getSettings(tx, { companyId });
    if (!row) throw new Error('transmission settings missing after save');
    return presentSettings(ctx, row);
  });
}

export const TURNED_OFF_REASON =
  'Transmission was turned off before this invoice reached the provider; resubmit it once a provider is set up.';

/**
 * Turns transmission off: the settings and their sealed credentials are deleted, and invoices will go by e-mail
 * only. A transmission still queued has not reached the provider: it fails now with a reason, so that nothing
 * leaves later through a provider set up for something else, and it can be resubmitted. One the provider has
 * already taken keeps its status (the outbox asks for it again once a provider is configured). Turning off what
 * is off changes nothing.
 */
export async function deleteSettings(ctx: AppContext, companyId: string, actor: Actor): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const current = await q.getSettings(tx, { companyId });
    if (!current) return;
    const failed = await q.failUnsent(tx, { companyId, reason: TURNED_OFF_REASON });
    for (const row of failed) {
      // The invoice's timeline reads these; no failure mail, the person who turned it off knows.
      await recordAudit(tx, {
        companyId,
        actorUserId: actor.userId,
        action: 'transmission.failed',
        entityType: 'invoice',
        entityId: row.invoiceId,
        data: { provider: row.provider, generation: row.generation, reason: TURNED_OFF_REASON },
        requestId: actor.requestId,
      });
    }
    await q.deleteSettings(tx, { companyId });
    await audit(tx, companyId, actor, 'transmission_settings.deleted', companyId, {
      provider: current.provider,
      failed_transmissions: failed.length,
    });
  });
}

/**
 * Called by the send step inside its transaction. Without a configured provider nothing is transmitted ('none');
 * with one, the invoice must have its UBL document (409 otherwise) and its transmission is queued once.
 */
export async function queueTransmission(
  ctx: AppContext,
  tx: Db,
  { companyId, invoiceId }: { companyId: string; invoiceId: string },
): Promise<'queued' | 'none'> {
  const settings = await q.getSettings(tx, { companyId });
  if (!settings) return 'none';
  const document = await getUblDocument(tx, { companyId, invoiceId });
  if (!document) throw new AppError('INVOICE_NOT_TRANSMITTABLE');
  const isNew = await q.insertTransmission(tx, {
    companyId,
    invoiceId,
    provider: settings.provider,
    instanceId: instanceIdOf(invoiceId, 1),
  });
  if (isNew) await ctx.jobs.enqueue(tx, TRANSMISSION_JOB, {}, { key: TRANSMISSION_JOB });
  return 'queued';
}

export async function readTransmission(ctx: AppContext, companyId: string, invoiceId: string) {
  const invoice = await getInvoice(ctx.db, { companyId, id: invoiceId });
  if (!invoice) throw new AppError('INVOICE_NOT_FOUND');
  const row = await q.getTransmission(ctx.db, { companyId, invoiceId });
  if (!row) throw new AppError('TRANSMISSION_NOT_FOUND');
  const attempts = await q.listAttempts(ctx.db, { companyId, transmissionId: row.id });
  return {
    invoice_id: row.invoiceId,
    provider: row.provider,
    instance_id: row.instanceId,
    generation: row.generation,
    exchange: { status: row.exchangeStatus, reason: row.exchangeReason },
    reporting: { status: row.reportingStatus, reason: row.reportingReason },
    acknowledged_at: row.acknowledgedAt?.toISOString() ?? null,
    next_attempt_at: ['queued', 'submitted'].includes(row.exchangeStatus)
      ? row.nextAttemptAt.toISOString()
      : null,
    attempts: attempts.map((a) => ({
      generation: a.generation,
      attempt: a.attempt,
      action: a.action,
      status_code: a.statusCode,
      outcome: a.outcome,
      reason: a.reason,
      duration_ms: a.durationMs,
      at: a.createdAt.toISOString(),
    })),
  };
}

/** A failed transmission starts again as a new generation: a new instance id, with the company's current provider. */
export async function resubmitTransmission(
  ctx: AppContext,
  companyId: string,
  actor: Actor,
  invoiceId: string,
) {
  await ctx.db.transaction(async (tx) => {
    const row = await q.lockTransmission(tx, { companyId, invoiceId });
    if (!row) {
      const invoice = await getInvoice(tx, { companyId, id: invoiceId });
      throw new AppError(invoice ? 'TRANSMISSION_NOT_FOUND' : 'INVOICE_NOT_FOUND');
    }
    if (row.exchangeStatus !== 'failed') throw new AppError('TRANSMISSION_NOT_FAILED');
    const settings = await q.getSettings(tx, { companyId });
    if (!settings) throw new AppError('TRANSMISSION_NOT_CONFIGURED');
    const generation = row.generation + 1;
    await q.updateTransmission(
      tx,
      { companyId, id: row.id },
      {
        provider: settings.provider,
        generation,
        instanceId: instanceIdOf(invoiceId, generation),
        exchangeStatus: 'queued',
        exchangeReason: null,
        reportingStatus: 'pending',
        reportingReason: null,
        attempts: 0,
        acknowledgedAt: null,
        providerReference: null,
        nextAttemptAt: new Date(),
      },
    );
    await audit(tx, companyId, actor, 'transmission.resubmitted', row.id, {
      invoice_id: invoiceId,
      generation,
    });
    await ctx.jobs.enqueue(tx, TRANSMISSION_JOB, {}, { key: TRANSMISSION_JOB });
  });
  return readTransmission(ctx, companyId, invoiceId);
}
