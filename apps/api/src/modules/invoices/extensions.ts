// Extension points of issuing: what an e-invoicing format, the PDF or a future channel adds to every issue, whoever
// issues (the API's generate and draft issue, a point-of-sale sale, an import, a recurring-invoice job). Three
// stages, in this order:
//
// 1. `validate(tx, candidate)` — BEFORE the number is taken and before any lock of the issuing queue (the company's
//    number counter, the signing unit's chain): the document is complete (seller, buyer, lines, totals, its id) but its
//    number is still provisional. A rule failure throws an AppError here and nothing was held or spent.
// 2. `onIssue(tx, issued)` — INSIDE the issuing transaction, after the number is taken and the invoice stored,
//    before the audit entry and the commit: if it throws, nothing is issued and the number is not used (numbering
//    stays gapless). What it stores, it stores in its own tables (ZATCA: einvoice_documents, with the chain
//    moved forward); what it returns is handed, under its name, to the later extensions and to afterCommit.
//    Background work that must happen only if the issue commits is enqueued here, in the transaction
//    (`ctx.jobs.enqueue(tx, …)`: pg-boss lives in the same database), so a rollback leaves no job.
// 3. `afterCommit(committed)` — AFTER the transaction that issued the invoice committed, outside every lock: the
//    PDF render and store (modules/pdf/service.ts explains why not inside). It cannot undo the issue: a failure
//    is logged, and whatever it was for must be redone lazily (the PDF is rendered on its first download).
//
// Who runs afterCommit: `issueInvoice` (service.ts) without a transaction opens its own and runs the hooks after
// it committed. A caller that owns the transaction (a sale that also moves stock) passes `{ tx, afterCommit }`:
// the collector is required with the transaction by the type, and `withAfterCommit` below is the way to get
// both — it runs the collected hooks once the caller's transaction committed, and drops them if it rolled back.
//
// The users: ZATCA (modules/zatca/issue.ts: rules in validate; chain lock, ICV/PIH, signed XML and QR in onIssue)
// and the PDF (modules/pdf/service.ts: afterCommit), plugged in where the app is built (`ctx.issueExtensions`).
import type { Db } from '@invoiceflow/db';
import type { InvoiceSnapshot } from '@invoiceflow/db/schema';
import type { AppContext } from '../../context';
import type { FieldError } from '../../lib/errors';
import { safeError } from '../../lib/logger';
import type { CompanyRow } from '../companies/queries';
import type { InvoiceRow } from './queries';

/** A document about to be issued: complete except for its number, which is provisional for a series. */
export interface IssueCandidate {
  /** The invoice's id (ZATCA's UUID), known before it is stored. */
  invoiceId: string;
  companyId: string;
  snapshot: InvoiceSnapshot;
  seller: CompanyRow;
  /** The signing unit the caller named (a Saudi EGS unit: branch, till); the company's default when absent. */
  signingUnitId?: string;
}

export interface IssuedDocument {
  invoice: InvoiceRow;
  snapshot: InvoiceSnapshot;
  seller: CompanyRow;
  signingUnitId?: string;
  /** Artifacts of the extensions that already ran. */
  artifacts: Record<string, unknown>;
}

/** An issued invoice whose transaction committed. */
export interface CommittedDocument {
  companyId: string;
  invoiceId: string;
  number: string;
  artifacts: Record<string, unknown>;
}

export interface IssueExtension {
  /** Key of the artifacts it produces: `zatca`. */
  name: string;
  /**
   * Refuses a document by throwing (AppError INVOICE_INVALID with field errors); holds no lock. Returns what
   * does not refuse it but the user should know (warnings, kept with the issued invoice).
   */
  validate?(tx: Db, candidate: IssueCandidate): Promise<FieldError[] | undefined>;
  /** Called in the issuing transaction `tx`; reads and writes only through it. */
  onIssue?(tx: Db, document: IssuedDocument): Promise<Record<string, unknown> | undefined>;
  /** Called once the issuing transaction committed; never throws into the issue (failures are logged). */
  afterCommit?(document: CommittedDocument): Promise<void>;
}

declare module '../../context' {
  interface AppContext {
    /** Run in order at every issue (see modules/invoices/extensions.ts). */
    issueExtensions?: IssueExtension[];
  }
}

export interface AfterCommitLog {
  error(object: Record<string, unknown>, message: string): void;
}

/** Without the request's logger: one JSON line, the error through the one serializer (no values, no SQL params). */
export const consoleLog: AfterCommitLog = {
  error: (object, message) =>
    console.error(JSON.stringify({ ...object, err: safeError(object.err), msg: message })),
};

/**
 * Work to run after a transaction commits, collected while it runs. Created by `withAfterCommit` (or by
 * `issueInvoice` for its own transaction) and run by it once the commit succeeded; a rolled-back transaction's
 * hooks are never run.
 */
export class AfterCommit {
  private readonly hooks: { name: string; run: () => Promise<void> }[] = [];
  private hasRun = false;

  /**
   * `deferred`: extensions whose after-commit work this caller leaves to the first read — work that is redone
   * lazily anyway (a till sale prints its 80 mm receipt; its A4 PDF is rendered on its first download, not before
   * the cashier sees the change).
   */
  constructor(
    private readonly log: AfterCommitLog = consoleLog,
    private readonly deferred: readonly string[] = [],
  ) {}

  add(name: string, run: () => Promise<void>): void {
    if (this.hasRun) throw new Error(`after-commit hook ${name} added after the hooks ran`);
    if (this.deferred.includes(name)) return;
    this.hooks.push({ name, run });
  }

  /** Runs the hooks in order, each once; a failing hook is logged and the others still run. */
  async run(): Promise<void> {
    this.hasRun = true;
    for (const hook of this.hooks.splice(0)) {
      try {
        await hook.run();
      } catch (error) {
        this.log.error({ err: error, hook: hook.name }, 'after-commit work failed; it is redone lazily');
      }
    }
  }
}

/**
 * Runs `work` in a transaction and, once it committed, the after-commit hooks it collected (the issue's PDF…):
 * the way for a caller that issues inside its own transaction, e.g.
 * `withAfterCommit(ctx, (tx, afterCommit) => sell(tx, …, { tx, afterCommit }))`.
 */
export async function withAfterCommit<T>(
  ctx: Pick<AppContext, 'db'>,
  work: (tx: Db, afterCommit: AfterCommit) => Promise<T>,
  log?: AfterCommitLog,
  deferred: readonly string[] = [],
): Promise<T> {
  const afterCommit = new AfterCommit(log, deferred);
  const result = await ctx.db.transaction((tx) => work(tx, afterCommit));
  await afterCommit.run();
  return result;
}

/** Runs every extension's validate stage; returns their warnings. */
export async function validateIssue(
  extensions: readonly IssueExtension[],
  tx: Db,
  candidate: IssueCandidate,
): Promise<FieldError[]> {
  const warnings: FieldError[] = [];
  for (const extension of extensions) warnings.push(...((await extension.validate?.(tx, candidate)) ?? []));
  return warnings;
}

export async function runIssueExtensions(
  extensions: readonly IssueExtension[],
  tx: Db,
  document: Omit<IssuedDocument, 'artifacts'>,
): Promise<Record<string, unknown>> {
  const artifacts: Record<string, unknown> = {};
  for (const extension of extensions) {
    if (!extension.onIssue) continue;
    const produced = await extension.onIssue(tx, { ...document, artifacts: { ...artifacts } });
    if (produced !== undefined) artifacts[extension.name] = produced;
  }
  return artifacts;
}

/** Queues every extension's after-commit work for the committed document. */
export function queueAfterCommit(
  extensions: readonly IssueExtension[],
  afterCommit: AfterCommit,
  document: CommittedDocument,
): void {
  for (const extension of extensions) {
    const hook = extension.afterCommit;
    if (hook) afterCommit.add(extension.name, () => hook.call(extension, document));
  }
}
