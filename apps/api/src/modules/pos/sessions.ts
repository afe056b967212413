// Cash sessions (shifts) at a till. Open with the float counted by denomination (the drawer's counts become
// that count); during the shift every sale moves the drawer (the customer's pieces in, the change out) and cash
// in/out is recorded with its pieces; close with a count. Expected cash = float + what the sales kept (paid −
// change: the change handed back is part of the sale, never cash taken out) + cash in − cash out; the
// difference is counted − expected. The X report is that reckoning mid-shift, the Z report the closed one.
import type { Db } from '@invoiceflow/db';
import type { DenominationCount } from '@invoiceflow/db/schema';
import {
  compareMoney,
  exactMinorUnits,
  fromMinorUnits,
  roundMoney,
  subtractMoney,
  sumMoney,
} from '@invoiceflow/totals';
import type { AppContext } from '../../context';
import type { Actor } from '../../lib/actor';
import { recordAudit } from '../../lib/audit';
import { isUniqueViolation } from '../../lib/db-errors';
import { AppError, defineErrors, validationError } from '../../lib/errors';
import { getCompany } from '../companies/queries';
import * as q from './queries';
import type { DenominationCountInput } from './schemas';
import { checkFaceValue } from './service';

defineErrors({
  SESSION_NOT_FOUND: [404, 'Cash session not found.'],
  SESSION_ALREADY_OPEN: [409, 'A cash session is already open at this till.'],
  SESSION_CLOSED: [409, 'This cash session is closed.'],
  NOT_IN_DRAWER: [409, 'The drawer does not hold these pieces.'],
});

async function currencyOf(db: Db, companyId: string): Promise<string> {
  const company = await getCompany(db, { companyId });
  if (!company) throw new AppError('COMPANY_NOT_FOUND');
  return company.currency;
}

/** Counts by value, merged and checked against the currency; with the amount they make. */
function readCounts(counts: readonly DenominationCountInput[], currency: string, path: string) {
  const merged = new Map<string, number>();
  counts.forEach((piece, index) => {
    const value = checkFaceValue(piece.value, currency, `${path}.${index}.value`);
    merged.set(value, (merged.get(value) ?? 0) + piece.count);
  });
  let units = 0n;
  for (const [value, count] of merged) units += exactMinorUnits(value, currency) * BigInt(count);
  const list: DenominationCount[] = [...merged]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => compareMoney(b.value, a.value));
  return { list, amount: fromMinorUnits(units, currency) };
}

async function lockTillOrThrow(tx: Db, companyId: string, tillId: string) {
  const till = await q.lockTill(tx, { companyId, id: tillId });
  if (!till) throw new AppError('TILL_NOT_FOUND');
  return till;
}

export async function openSession(
  ctx: AppContext,
  companyId: string,
  actor: Actor,
  tillId: string,
  input: { counts: DenominationCountInput[] },
) {
  return ctx.db.transaction(async (tx) => {
    const till = await lockTillOrThrow(tx, companyId, tillId);
    const currency = await currencyOf(tx, companyId);
    const float = readCounts(input.counts, currency, 'counts');
    if (await q.getOpenSession(tx, { companyId, tillId: till.id }))
      throw new AppError('SESSION_ALREADY_OPEN');
    // The counted float is what the drawer holds from now on: a value not counted is not there.
    const drawer = await q.listDenominations(tx, { companyId, tillId: till.id, forUpdate: true });
    for (const row of drawer) {
      await q.setDenominationCount(tx, { companyId, tillId: till.id, value: row.value, count: 0 });
    }
    for (const piece of float.list) {
      await q.setDenominationCount(tx, {
        companyId,
        tillId: till.id,
        value: piece.value,
        count: piece.count,
      });
    }
    const session = await q
      .insertSession(tx, {
        companyId,
        tillId: till.id,
        openingCounts: float.list,
        openingFloat: float.amount,
        openedBy: actor.userId,
      })
      .catch((error: unknown) => {
        if (isUniqueViolation(error, 'cash_sessions_open_key')) throw new AppError('SESSION_ALREADY_OPEN');
        throw error;
      });
    await audit(tx, companyId, actor, 'cash_session.opened', session.id, { float: float.amount });
    return report(tx, session, currency);
  });
}

async function openSessionOrThrow(tx: Db, companyId: string, id: string) {
  const found = await q.getSession(tx, { companyId, id });
  if (!found) throw new AppError('SESSION_NOT_FOUND');
  await lockTillOrThrow(tx, companyId, found.tillId);
  const session = await q.getSession(tx, { companyId, id, forUpdate: true });
  if (!session) throw new AppError('SESSION_NOT_FOUND');
  if (session.status !== 'open') throw new AppError('SESSION_CLOSED');
  return session;
}

export async function recordCashMovement(
  ctx: AppContext,
  companyId: string,
  actor: Actor,
  sessionId: string,
  input: { kind: 'cash_in' | 'cash_out'; counts: DenominationCountInput[]; reason?: string },
) {
  return ctx.db.transaction(async (tx) => {
    const session = await openSessionOrThrow(tx, companyId, sessionId);
    const currency = await currencyOf(tx, companyId);
    const moved = readCounts(input.counts, currency, 'counts');
    if (compareMoney(moved.amount, '0') <= 0) {
      throw validationError([
        { path: 'counts', code: 'EMPTY', message: 'Count the pieces put in or taken out.' },
      ]);
    }
    if (input.kind === 'cash_out') {
      const drawer = await q.listDenominations(tx, { companyId, tillId: session.tillId, forUpdate: true });
      for (const piece of moved.list) {
        const held = drawer.find((row) => compareMoney(row.value, piece.value) === 0)?.count ?? 0;
        if (held < piece.count) {
          throw new AppError('NOT_IN_DRAWER', {
            message: `The drawer holds ${held} of ${piece.value} ${currency}.`,
            errors: [
              {
                path: 'counts',
                code: 'NOT_IN_DRAWER',
                message: `${held} of ${piece.value} ${currency} left.`,
              },
            ],
          });
        }
      }
    }
    const sign = input.kind === 'cash_in' ? 1 : -1;
    await q.moveDenominations(tx, {
      companyId,
      tillId: session.tillId,
      moves: moved.list.map((piece) => ({ value: piece.value, delta: sign * piece.count })),
    });
    const row = await q.insertCashMovement(tx, {
      companyId,
      sessionId: session.id,
      kind: input.kind,
      amount: moved.amount,
      counts: moved.list,
      reason: input.reason ?? null,
      createdBy: actor.userId,
    });
    await audit(tx, companyId, actor, `cash_session.${input.kind}`, session.id, { amount: moved.amount });
    return {
      id: row.id,
      session_id: row.sessionId,
      kind: row.kind,
      amount: roundMoney(row.amount, currency),
      counts: row.counts,
      reason: row.reason,
      created_at: row.createdAt.toISOString(),
    };
  });
}

export async function closeSession(
  ctx: AppContext,
  companyId: string,
  actor: Actor,
  sessionId: string,
  input: { counts: DenominationCountInput[] },
) {
  return ctx.db.transaction(async (tx) => {
    const session = await openSessionOrThrow(tx, companyId, sessionId);
    const currency = await currencyOf(tx, companyId);
    const counted = readCounts(input.counts, currency, 'counts');
    const expected = (await report(tx, session, currency)).expected_cash;
    const closed = await q.closeSession(tx, {
      companyId,
      id: session.id,
      values: {
        closingCounts: counted.list,
        countedAmount: counted.amount,
        expectedAmount: expected,
        closedBy: actor.userId,
        closedAt: new Date(),
      },
    });
    // What was counted is what the drawer holds for the next shift.
    const drawer = await q.listDenominations(tx, { companyId, tillId: session.tillId, forUpdate: true });
    for (const row of drawer) {
      await q.setDenominationCount(tx, { companyId, tillId: session.tillId, value: row.value, count: 0 });
    }
    for (const piece of counted.list) {
      await q.setDenominationCount(tx, {
        companyId,
        tillId: session.tillId,
        value: piece.value,
        count: piece.count,
      });
    }
    await audit(tx, companyId, actor, 'cash_session.closed', session.id, {
      expected,
      counted: counted.amount,
      difference: subtractMoney(counted.amount, expected, currency),
    });
    return report(tx, closed, currency);
  });
}

export async function sessionReport(db: Db, companyId: string, id: string) {
  const session = await q.getSession(db, { companyId, id });
  if (!session) throw new AppError('SESSION_NOT_FOUND');
  return report(db, session, await currencyOf(db, companyId));
}

/** The X report of an open session, the Z report of a closed one. */
async function report(db: Db, session: q.CashSessionRow, currency: string) {
  const totals = await q.sessionTotals(db, { companyId: session.companyId, sessionId: session.id });
  const kept = subtractMoney(totals.received, totals.change, currency);
  const expected = sumMoney([session.openingFloat, kept, totals.cash_in], currency);
  const expectedCash =
    session.expectedAmount !== null
      ? roundMoney(session.expectedAmount, currency)
      : subtractMoney(expected, totals.cash_out, currency);
  const counted = session.countedAmount === null ? null : roundMoney(session.countedAmount, currency);
  return {
    id: session.id,
    report: session.status === 'open' ? ('X' as const) : ('Z' as const),
    till_id: session.tillId,
    status: session.status,
    currency,
    opened_at: session.openedAt.toISOString(),
    closed_at: session.closedAt?.toISOString() ?? null,
    opening_float: roundMoney(session.openingFloat, currency),
    opening_counts: session.openingCounts,
    sales_count: totals.sales,
    sales_total: roundMoney(totals.sold, currency),
    cash_received: roundMoney(totals.received, currency),
    change_given: roundMoney(totals.change, currency),
    cash_in: roundMoney(totals.cash_in, currency),
    cash_out: roundMoney(totals.cash_out, currency),
    expected_cash: expectedCash,
    counted_cash: counted,
    difference: counted === null ? null : subtractMoney(counted, expectedCash, currency),
    closing_counts: session.closingCounts,
  };
}

async function audit(tx: Db, companyId: string, actor: Actor, action: string, id: string, data: object) {
  await recordAudit(tx, {
    companyId,
    actorUserId: actor.userId,
    action,
    entityType: 'cash_session',
    entityId: id,
    data: data as Record<string, unknown>,
    requestId: actor.requestId,
  });
}
