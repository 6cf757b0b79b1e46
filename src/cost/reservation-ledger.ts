/**
 * The reservation ledger as a pure state machine: what the engine's store will
 * do in one transaction per operation. A dispatch reserves its estimate against
 * every enclosing budget at once (all or nothing), settles its actual cost when
 * the call returns, and is released if the worker died (crash recovery).
 *
 * Guarantees (property-tested in test/cost/reservation-ledger.test.ts):
 * - hard-cap budget: settled spend never exceeds the limit, provided the engine
 *   caps each call at its reservation (worst-case.ts); an actual above the
 *   reservation is still recorded (cost is a fact) and reported as an overrun;
 * - default budget: settled − limit ≤ Σ max(0, actual − estimate) over settled
 *   calls, plus the estimates explicitly approved past the limit.
 */
import type { MicroUsd } from './money.ts';

export interface LedgerBudget {
  id: string;
  limitMicros: MicroUsd;
  hardCap: boolean;
}

export interface Reservation {
  id: string;
  budgetIds: readonly string[];
  amountMicros: MicroUsd;
  approved: boolean;
}

export interface BudgetAccount {
  settledMicros: MicroUsd;
  reservedMicros: MicroUsd;
  /** Σ max(0, actual − reserved) of settled calls: how far estimates fell short. */
  excessMicros: MicroUsd;
  /** Σ reservations admitted past the limit by an explicit approval. */
  approvedMicros: MicroUsd;
}

export interface LedgerState {
  readonly budgets: Readonly<Record<string, LedgerBudget>>;
  readonly accounts: Readonly<Record<string, BudgetAccount>>;
  readonly reservations: Readonly<Record<string, Reservation>>;
}

/** A ledger with no spend over the given budgets. */
export function createLedger(budgets: readonly LedgerBudget[]): LedgerState {
  const b: Record<string, LedgerBudget> = {};
  const a: Record<string, BudgetAccount> = {};
  for (const budget of budgets) {
    b[budget.id] = budget;
    a[budget.id] = { settledMicros: 0, reservedMicros: 0, excessMicros: 0, approvedMicros: 0 };
  }
  return { budgets: b, accounts: a, reservations: {} };
}

function account(state: LedgerState, id: string): BudgetAccount {
  const a = state.accounts[id];
  if (!a) throw new RangeError(`unknown budget ${id} in the reservation ledger`);
  return a;
}

/** Settled plus reserved spend of a budget. */
export function committedMicros(state: LedgerState, budgetId: string): MicroUsd {
  const a = account(state, budgetId);
  return a.settledMicros + a.reservedMicros;
}

export type ReserveResult =
  | { ok: true; state: LedgerState }
  | { ok: false; state: LedgerState; refusedBy: string[]; reason: string };

/** Reserves `amountMicros` against every budget, or none if any would pass its limit. */
export function reserve(
  state: LedgerState,
  request: { id: string; budgetIds: readonly string[]; amountMicros: MicroUsd; approved?: boolean },
): ReserveResult {
  if (state.reservations[request.id])
    return { ok: false, state, refusedBy: [], reason: `reservation ${request.id} already exists` };
  if (!Number.isSafeInteger(request.amountMicros) || request.amountMicros < 0)
    return {
      ok: false,
      state,
      refusedBy: [],
      reason: 'the amount must be a non-negative integer of µ$',
    };
  const approved = request.approved === true;
  const refusedBy: string[] = [];
  for (const id of request.budgetIds) {
    const budget = state.budgets[id];
    if (!budget) return { ok: false, state, refusedBy: [id], reason: `unknown budget ${id}` };
    const projected = committedMicros(state, id) + request.amountMicros;
    // An approval lets a soft budget go past its limit; nothing lets a hard cap.
    if (projected > budget.limitMicros && (budget.hardCap || !approved)) refusedBy.push(id);
  }
  if (refusedBy.length > 0)
    return { ok: false, state, refusedBy, reason: `would exceed ${refusedBy.join(', ')}` };
  const accounts = { ...state.accounts };
  for (const id of request.budgetIds) {
    const a = account(state, id);
    const budget = state.budgets[id];
    const past =
      approved && budget
        ? Math.max(
            0,
            Math.min(
              request.amountMicros,
              committedMicros(state, id) + request.amountMicros - budget.limitMicros,
            ),
          )
        : 0;
    accounts[id] = {
      ...a,
      reservedMicros: a.reservedMicros + request.amountMicros,
      approvedMicros: a.approvedMicros + past,
    };
  }
  const reservation: Reservation = {
    id: request.id,
    budgetIds: [...request.budgetIds],
    amountMicros: request.amountMicros,
    approved,
  };
  return {
    ok: true,
    state: {
      ...state,
      accounts,
      reservations: { ...state.reservations, [request.id]: reservation },
    },
  };
}

function without(state: LedgerState, id: string): Record<string, Reservation> {
  const rest = { ...state.reservations };
  delete rest[id];
  return rest;
}

/** Replaces a reservation with the call's actual cost; `overrunBy` lists hard caps it broke. */
export function settle(
  state: LedgerState,
  reservationId: string,
  actualMicros: MicroUsd,
): { state: LedgerState; overrunBy: string[] } {
  const r = state.reservations[reservationId];
  if (!r) throw new RangeError(`no reservation ${reservationId} to settle`);
  if (!Number.isSafeInteger(actualMicros) || actualMicros < 0)
    throw new RangeError(
      `actual cost ${actualMicros} of ${reservationId} is not a non-negative integer of µ$`,
    );
  const accounts = { ...state.accounts };
  const overrunBy: string[] = [];
  for (const id of r.budgetIds) {
    const a = account(state, id);
    const next: BudgetAccount = {
      ...a,
      settledMicros: a.settledMicros + actualMicros,
      reservedMicros: a.reservedMicros - r.amountMicros,
      excessMicros: a.excessMicros + Math.max(0, actualMicros - r.amountMicros),
    };
    accounts[id] = next;
    const budget = state.budgets[id];
    if (budget?.hardCap && next.settledMicros > budget.limitMicros) overrunBy.push(id);
  }
  return { state: { ...state, accounts, reservations: without(state, reservationId) }, overrunBy };
}

/** Drops a reservation without spend (the call never ran, or its worker died before it did). */
export function release(state: LedgerState, reservationId: string): LedgerState {
  const r = state.reservations[reservationId];
  if (!r) return state;
  const accounts = { ...state.accounts };
  for (const id of r.budgetIds) {
    const a = account(state, id);
    accounts[id] = { ...a, reservedMicros: a.reservedMicros - r.amountMicros };
  }
  return { ...state, accounts, reservations: without(state, reservationId) };
}

/** Crash recovery: releases every reservation whose dispatch is not among the live ones. */
export function recover(state: LedgerState, liveReservationIds: ReadonlySet<string>): LedgerState {
  let next = state;
  for (const id of Object.keys(state.reservations))
    if (!liveReservationIds.has(id)) next = release(next, id);
  return next;
}
