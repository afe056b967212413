// The Peppol participant lookup: the SML (a U-NAPTR record in DNS) names the participant's SMP, the SMP's
// ServiceGroup lists the document types, and each signed ServiceMetadata says which processes and endpoints take
// them. Answers are cached for PEPPOL_LOOKUP_CACHE_SECONDS: node's resolver does not report a NAPTR record's TTL,
// so the configured time stands in for it (the SML's records carry a TTL of minutes; keep the setting below it).

import type { X509Certificate } from 'node:crypto';
import { Resolver } from 'node:dns/promises';
import {
  certificatesOf,
  type NaptrRecord,
  type ParticipantId,
  parseParticipantId,
  participantPath,
  readServiceGroup,
  readSignedServiceMetadata,
  type ServiceMetadata,
  SmpProblem,
  smlName,
  smpUrlFromNaptr,
} from '@invoiceflow/smp';
import { PEPPOL_BIS3_IDS, PINT_AE_IDS } from '@invoiceflow/ubl';
import type { AppContext } from '../../context';
import { AppError, defineErrors, validationError } from '../../lib/errors';
import { request } from '../transmission/http';
import { resolveEndpointHost } from '../webhooks/addresses';
import type { ParticipantLookup } from './schemas';

defineErrors({
  PARTICIPANT_NOT_FOUND: [404, 'This participant is not registered on the Peppol network.'],
  PEPPOL_LOOKUP_NOT_CONFIGURED: [
    503,
    'The Peppol participant lookup needs the trusted SMP certificates (PEPPOL_SMP_TRUST_PEM).',
  ],
  PEPPOL_LOOKUP_UNAVAILABLE: [
    503,
    'The Peppol SML or the participant’s SMP did not answer; try again later.',
  ],
  SMP_SIGNATURE_INVALID: [
    502,
    'The participant’s SMP answered with a signature that does not verify; its answer is not used.',
  ],
  SMP_CERTIFICATE_UNTRUSTED: [502, 'The participant’s SMP signed with a certificate that is not trusted.'],
  SMP_ANSWER_INVALID: [502, 'The participant’s SMP answered something that is not an SMP answer.'],
  SMP_ADDRESS_REFUSED: [502, 'The SML names an SMP at an address that is not public; it is not called.'],
});

/** Lookups kept at once; the oldest goes first. */
const CACHE_ENTRIES = 1000;
/** A participant not found may register any minute. */
const NOT_FOUND_SECONDS = 60;
/** A participant with more document types than this is not an SMP answer we read. */
const MAX_REFERENCES = 200;
const PARALLEL_READS = 4;

type Outcome = { found: ParticipantLookup } | { notFound: true };

interface LookupState {
  cache: Map<string, { expires: number; outcome: Outcome }>;
  inFlight: Map<string, Promise<Outcome>>;
  trusted: X509Certificate[] | null;
  resolver: Resolver;
}

const states = new WeakMap<AppContext, LookupState>();

function stateOf(ctx: AppContext): LookupState {
  let state = states.get(ctx);
  if (!state) {
    const config = ctx.config;
    const resolver = new Resolver({ timeout: config.PEPPOL_LOOKUP_TIMEOUT_MS, tries: 2 });
    if (config.PEPPOL_DNS_SERVER) resolver.setServers([config.PEPPOL_DNS_SERVER]);
    const pem = config.PEPPOL_SMP_TRUST_PEM?.replaceAll('\\n', '\n');
    const trusted = pem ? certificatesOf(pem) : [];
    state = { cache: new Map(), inFlight: new Map(), trusted: trusted.length ? trusted : null, resolver };
    states.set(ctx, state);
  }
  return state;
}

/** Forgets every cached lookup (tests, and a change of the trust list). */
export function clearParticipantCache(ctx: AppContext): void {
  states.delete(ctx);
}

export function parseParticipantParam(raw: string): ParticipantId {
  const parsed = parseParticipantId(raw);
  if ('problem' in parsed) {
    const messages = {
      format:
        'A Peppol participant is "{scheme}:{id}", a 4-digit ICD then the identifier, e.g. 0088:5790000435975.',
      scheme: 'Only the iso6523-actorid-upis participant scheme exists in Peppol.',
      length: 'A Peppol participant identifier is at most 50 characters.',
    } as const;
    throw validationError(
      [
        {
          path: 'participant',
          code: `PARTICIPANT_${parsed.problem.toUpperCase()}`,
          message: messages[parsed.problem],
        },
      ],
      messages[parsed.problem],
    );
  }
  return parsed;
}

export async function lookupParticipant(
  ctx: AppContext,
  raw: string,
  now = new Date(),
): Promise<ParticipantLookup> {
  const participant = parseParticipantParam(raw);
  const state = stateOf(ctx);
  if (!state.trusted) throw new AppError('PEPPOL_LOOKUP_NOT_CONFIGURED');
  const key = participant.value;
  const cached = state.cache.get(key);
  let outcome: Outcome;
  if (cached && cached.expires > now.getTime()) {
    outcome = cached.outcome;
  } else {
    let pending = state.inFlight.get(key);
    if (!pending) {
      pending = resolve(ctx, state, participant, now).finally(() => state.inFlight.delete(key));
      state.inFlight.set(key, pending);
    }
    outcome = await pending;
    const seconds =
      'notFound' in outcome
        ? Math.min(NOT_FOUND_SECONDS, ctx.config.PEPPOL_LOOKUP_CACHE_SECONDS)
        : ctx.config.PEPPOL_LOOKUP_CACHE_SECONDS;
    if (seconds > 0) {
      state.cache.delete(key);
      state.cache.set(key, { expires: now.getTime() + seconds * 1000, outcome });
      while (state.cache.size > CACHE_ENTRIES) state.cache.delete(state.cache.keys().next().value as string);
    }
  }
  if ('notFound' in outcome) throw new AppError('PARTICIPANT_NOT_FOUND');
  return outcome.found;
}

async function resolve(
  ctx: AppContext,
  state: LookupState,
  participant: ParticipantId,
  now: Date,
): Promise<Outcome> {
  const name = smlName(participant, ctx.config.PEPPOL_SML_ZONE);
  let records: NaptrRecord[];
  try {
    records = await state.resolver.resolveNaptr(name);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // NXDOMAIN, or the name without a NAPTR: not registered in this SML.
    if (code === 'ENOTFOUND' || code === 'ENODATA') return { notFound: true };
    throw new AppError('PEPPOL_LOOKUP_UNAVAILABLE');
  }
  const smpUrl = smpUrlFromNaptr(records);
  if (!smpUrl) return { notFound: true };
  const smp = new URL(`${smpUrl}/`);
  const allowed = await resolveEndpointHost(smp.hostname, ctx.config.PEPPOL_SMP_ALLOW_PRIVATE);
  if (!allowed.ok)
    throw new AppError(
      allowed.code === 'WEBHOOK_ADDRESS_REFUSED' ? 'SMP_ADDRESS_REFUSED' : 'PEPPOL_LOOKUP_UNAVAILABLE',
    );

  const group = await get(ctx, new URL(`${smpUrl}/${participantPath(participant)}`));
  if (group === null) return { notFound: true };
  const references = smpCall(() => readServiceGroup(group)).references;
  if (references.length > MAX_REFERENCES) throw new AppError('SMP_ANSWER_INVALID');
  const urls = references.map((href) => {
    let url: URL;
    try {
      url = new URL(href, smp);
    } catch {
      throw new AppError('SMP_ANSWER_INVALID');
    }
    // The SMP the SML named answers for its participants; a reference elsewhere is not followed.
    if (url.origin !== smp.origin) throw new AppError('SMP_ANSWER_INVALID');
    return url;
  });

  const trusted = state.trusted ?? [];
  const metadata: ServiceMetadata[] = [];
  for (let i = 0; i < urls.length; i += PARALLEL_READS) {
    const batch = await Promise.all(
      urls.slice(i, i + PARALLEL_READS).map(async (url) => {
        const xml = await get(ctx, url);
        // A document type removed between the two reads.
        if (xml === null) return null;
        return smpCall(() => readSignedServiceMetadata(xml, { trusted, now }));
      }),
    );
    for (const item of batch) if (item) metadata.push(item);
  }

  const documentTypes = metadata.map((m) => ({
    scheme: m.document_type.scheme,
    id: m.document_type.id,
    processes: m.processes,
  }));
  const signers = new Map(metadata.map((m) => [m.signer.fingerprint_sha256, m.signer]));
  return {
    found: {
      participant: { scheme: participant.scheme, value: participant.value },
      sml_name: name,
      smp_url: smpUrl,
      document_types: documentTypes,
      receives: {
        invoice: receivesKind(
          documentTypes,
          'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2::Invoice',
        ),
        credit_note: receivesKind(
          documentTypes,
          'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2::CreditNote',
        ),
      },
      signed_by: [...signers.values()],
      checked_at: now.toISOString(),
    },
  };
}

// The formats this product issues, as document type and process (Peppol Policy for use of Identifiers: the
// document type is "{root}##{customization}::{UBL version}").
const ISSUED_FORMATS = [
  { customization: PEPPOL_BIS3_IDS.customization, process: PEPPOL_BIS3_IDS.profile },
  { customization: PINT_AE_IDS.billing.customization, process: PINT_AE_IDS.billing.profile },
];

function receivesKind(documentTypes: ParticipantLookup['document_types'], root: string): boolean {
  return documentTypes.some((type) =>
    ISSUED_FORMATS.some(
      (format) =>
        type.id === `${root}##${format.customization}::2.1` &&
        type.processes.some((p) => p.id === format.process && p.endpoints.length > 0),
    ),
  );
}

function smpCall<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof SmpProblem) throw new AppError(error.code, { message: error.message });
    throw error;
  }
}

/** The SMP's answer at a URL: its text, null for 404, PEPPOL_LOOKUP_UNAVAILABLE otherwise. */
async function get(ctx: AppContext, url: URL): Promise<string | null> {
  const answer = await request(url, {
    method: 'GET',
    headers: { accept: 'application/xml, text/xml', 'user-agent': 'InvoiceFlow-SMP-Client/1' },
    timeoutMs: ctx.config.PEPPOL_LOOKUP_TIMEOUT_MS,
  });
  if ('error' in answer) throw new AppError('PEPPOL_LOOKUP_UNAVAILABLE');
  if (answer.status_code === 404) return null;
  if (answer.status_code !== 200) throw new AppError('PEPPOL_LOOKUP_UNAVAILABLE');
  return answer.body;
}
