/**
 * Every operation of the OpenAPI document, one thing changed at a time: each body field through a catalogue of
 * hostile values (C0 controls, lone surrogates, bidi controls, 10k-character strings, 5,000-deep nesting, numbers
 * past 2^53 and 1e999, wrong types), each query parameter through the same catalogue plus repeated and unknown
 * parameters, and the path under every spelling (escaped letters, double slashes, absolute form, trailing dots,
 * dot segments, case, `;params`), with and without the token. No 5xx; every refusal a problem+json with a code,
 * and field paths for validation errors; a spelling the router resolves answers as the plain path; a guarded
 * operation never answers 2xx without its token; and nothing a refused request sent is written.
 *
 * A failure names (operation, field or spelling, value class), grouped, so one run says which classes are open.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Answer } from './support/hostile';
import { MAY_CHANGE, sendRaw } from './support/hostile';
import { type Family, type Mutation, mutationsOf } from './support/mutation';
import { SCALE } from './support/scale';
import { createWorld, requestContextOf, type World } from './support/world';

let world: World;
let catalogue: Mutation[];
const refused: Mutation[] = [];
beforeAll(async () => {
  world = await createWorld('mutation');
  const ctx = requestContextOf(world);
  const operations = world.operations.filter((op) => op.path.startsWith('/api/'));
  catalogue = operations.flatMap((op) => mutationsOf(op, ctx, SCALE === 'full'));
  const perFamily = (family: Family) => catalogue.filter((m) => m.family === family).length;
  console.info(
    `[reliability] mutation (${SCALE}): ${operations.length} operations; requests: field ${perFamily('field')}, ` +
      `query ${perFamily('query')}, params ${perFamily('params')}, path ${perFamily('path')}, guard ${perFamily('guard')}`,
  );
}, 300_000);
afterAll(() => world?.close(), 60_000);

interface Outcome {
  mutation: Mutation;
  answer?: Answer;
  error?: string;
}

async function sendAll(mutations: Mutation[]): Promise<Outcome[]> {
  const outcomes: Outcome[] = new Array(mutations.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let i = next++; i < mutations.length; i = next++) {
        const mutation = mutations[i] as Mutation;
        try {
          outcomes[i] = { mutation, answer: await sendRaw(world.server.port, mutation) };
        } catch (error) {
          outcomes[i] = { mutation, error: (error as Error).message };
        }
      }
    }),
  );
  return outcomes;
}

/** What is wrong with one answer, or undefined. */
function verdict({ mutation, answer, error }: Outcome, plain?: Answer): string | undefined {
  if (!answer) return `no answer (${error})`;
  // The world has no ZATCA to talk to: an accepted compliance request reports that outage, as it should.
  const isUpstreamOutage = answer.status === 503 && answer.body.includes('"code":"ZATCA_UNAVAILABLE"');
  if (answer.status >= 500 && !isUpstreamOutage) return String(answer.status);
  if (mutation.isUnauthenticated && answer.status < 400) return `${answer.status} without a token`;
  if (mutation.plainUrl && plain && answer.status !== plain.status)
    return `${answer.status}, the plain path ${plain.status}`;
  if (answer.status < 400) return undefined;
  let body: { code?: unknown; errors?: { path?: unknown; code?: unknown }[] };
  try {
    body = JSON.parse(answer.body);
  } catch {
    return `${answer.status} not JSON`;
  }
  if (!answer.contentType.includes('application/problem+json') || typeof body.code !== 'string')
    return `${answer.status} not a coded problem`;
  if (body.code === 'VALIDATION_FAILED') {
    const errors = Array.isArray(body.errors) ? body.errors : [];
    if (errors.length === 0 || !errors.every((e) => typeof e.path === 'string' && typeof e.code === 'string'))
      return 'VALIDATION_FAILED without field errors';
    if (mutation.family !== 'path' && mutation.family !== 'guard' && !errors.some((e) => e.path !== ''))
      return 'VALIDATION_FAILED without a field path';
  }
  return undefined;
}

/** Failures as "operation target [class]: what", one line each, grouped by class with counts first. */
function report(failures: { mutation: Mutation; what: string }[]): string[] {
  const byClass = new Map<string, number>();
  for (const { mutation } of failures)
    byClass.set(mutation.valueClass, (byClass.get(mutation.valueClass) ?? 0) + 1);
  const summary = [...byClass].map(([valueClass, n]) => `${valueClass}: ${n} failing`);
  const lines = failures.map(
    ({ mutation, what }) =>
      `${mutation.operation} ${mutation.target.length > 60 ? `${mutation.target.slice(0, 60)}…` : mutation.target} [${mutation.valueClass}]: ${what}`,
  );
  return [...summary, ...[...new Set(lines)].slice(0, 200)];
}

async function run(family: Family) {
  const mutations = catalogue.filter((m) => m.family === family);
  // A resolving spelling is compared with the same request on the plain path, sent the same way.
  const plains = [...new Set(mutations.flatMap((m) => (m.plainUrl ? [m.plainUrl] : [])))];
  const plainMutations = plains.map((url) => ({
    ...(mutations.find((m) => m.plainUrl === url) as Mutation),
    url,
  }));
  const plain = new Map((await sendAll(plainMutations)).map((o) => [o.mutation.url, o.answer]));
  const outcomes = await sendAll(mutations);
  const failures: { mutation: Mutation; what: string }[] = [];
  let refusals = 0;
  const perClass = new Map<string, { sent: number; refused: number; failing: number }>();
  for (const outcome of outcomes) {
    const what = verdict(outcome, plain.get(outcome.mutation.plainUrl ?? ''));
    const tally = perClass.get(outcome.mutation.valueClass) ?? { sent: 0, refused: 0, failing: 0 };
    perClass.set(outcome.mutation.valueClass, tally);
    tally.sent++;
    if (what) {
      failures.push({ mutation: outcome.mutation, what });
      tally.failing++;
    }
    if (outcome.answer && outcome.answer.status >= 400 && outcome.answer.status < 500) {
      refusals++;
      tally.refused++;
      refused.push(outcome.mutation);
    }
  }
  const classes = [...perClass].map(([name, n]) => `${name} ${n.sent}/${n.refused}/${n.failing}`).join(', ');
  console.info(
    `[reliability] mutation ${family}: ${mutations.length} requests, ${refusals} refused, ${failures.length} failing` +
      ` (per class, sent/refused/failing: ${classes})`,
  );
  return report(failures);
}

describe(`mutations, one at a time (${SCALE} scale)`, () => {
  it('query parameters: repeated, unknown or of the wrong type are refused or ignored, never a 5xx', async () => {
    expect(await run('params')).toEqual([]);
  }, 600_000);

  it('query parameters: every hostile value class in every parameter is refused with its path, or accepted', async () => {
    expect(await run('query')).toEqual([]);
  }, 600_000);

  it('body fields: every hostile value class in every field is refused with its path, or accepted; never a 5xx', async () => {
    expect(await run('field')).toEqual([]);
  }, 600_000);

  // From here on nothing may be written: the spellings and guards are all refusals or reads, and the refused
  // writes of the field and query mutations are sent a second time.
  let before: Record<string, number> = {};
  it('path spellings: a resolving spelling answers as the plain path, the others are 404 problems', async () => {
    before = await world.rowCounts();
    expect(await run('path')).toEqual([]);
  }, 600_000);

  it('guards: no guarded operation answers 2xx without its token, under any spelling', async () => {
    expect(await run('guard')).toEqual([]);
  }, 600_000);

  it('nothing a refused request sent is written', async () => {
    const writes = refused.filter(
      (m) => (m.family === 'field' || m.family === 'query') && m.method !== 'GET',
    );
    const again = await sendAll(writes);
    const acceptedNow = again.filter((o) => o.answer && o.answer.status < 400).map((o) => o.mutation.label);
    const after = await world.rowCounts();
    const changed = Object.keys({ ...before, ...after }).filter(
      (table) => !MAY_CHANGE.has(table) && before[table] !== after[table],
    );
    console.info(
      `[reliability] mutation: tables counted around the path and guard requests and ${writes.length} refused writes sent again`,
    );
    expect(acceptedNow.slice(0, 20)).toEqual([]);
    expect(changed.map((table) => `${table}: ${before[table]} → ${after[table]}`)).toEqual([]);
    expect(world.server.crashes).toEqual([]);
  }, 600_000);
});
