// Finding and verifying a caller: who is calling, proven by the Verification PIN and Word (or, to be
// told a forgotten user ID only, by name, company and e-mail on file). Nothing is done for a caller
// before this; five failures in a row block them until a supervisor clears it.
import type { AppContext } from '../../context';
import { AppError, notFound } from '../../lib/errors';
import { normalizeVerificationWord, secretMatches } from '../../lib/hashing';
import { parseTrackingQuery } from '../../lib/tracking-number';
import { paRef, recordAudit } from '../audit/audit.service';
import type { CallerVerification } from '../../types/express-session';
import { auditEventsAbout } from '../audit/audit.repository';
import { permissionsOf } from '../accounts/accounts.repository';
import { scopeRootsOf } from '../hierarchy/hierarchy.repository';
import { describeScope, scopeChoices } from '../hierarchy/scope-change';
import { ALL_PERMISSIONS, PERMISSIONS } from '../permissions/permissions';
import { STATUS_LABELS, TRANSACTION_TYPES } from '../transactions/transaction-types';
import {
  callerByTrackingNumber, callersByIdentity, clearVerificationBlock, findCaller, primaryOf, recentTransactionsOf, recordFailedVerification, resetFailedVerifications, searchCallers,
  verificationHashes, type CallerRow,
} from './helpdesk.repository';
import { staffRef, type SignedInStaff } from './staff-auth.service';

/** A caller's verified identity holds for this long; then the agent must ask again. */
export const VERIFICATION_TTL_MS = 15 * 60_000;
/** Failed verifications in a row before only a supervisor can let the caller try again. */
export const MAX_FAILED_VERIFICATIONS = 5;

export interface ActionContext {
  staff: SignedInStaff;
  /** When and how this agent verified the caller in this call, if they did. */
  verified: CallerVerification | undefined;
  sourceIp: string | null;
  baseUrl: string;
}

export function caller(context: AppContext, paId: number): CallerRow {
  const row = Number.isSafeInteger(paId) ? findCaller(context.db, paId) : undefined;
  if (!row) throw notFound('There is no such Program Administrator.');
  return row;
}

const minute = (at: number) => new Date(at).toISOString().slice(0, 16).replace('T', ' ');

/**
 * What the agent sees of a caller: state, company, permissions and scope, contact, the audit trail and
 * recent requests, and whether this agent's verification of them still holds at `now`. Never a secret.
 */
export function callerFile(context: AppContext, paId: number, verified: CallerVerification | undefined, now: number) {
  const row = caller(context, paId);
  const current = verified !== undefined && now - verified.at <= VERIFICATION_TTL_MS;
  const held = permissionsOf(context.db, row.id);
  const scopeRoots = scopeRootsOf(context.db, row.id);
  return {
    caller: row,
    verified: current,
    verifiedByIdentityOnly: current && verified.method === 'identity',
    verifiedUntil: verified === undefined ? null : new Date(verified.at + VERIFICATION_TTL_MS).toISOString().slice(11, 16),
    permissions: ALL_PERMISSIONS.map((permission) => ({ permission, label: PERMISSIONS[permission], held: held.includes(permission) })),
    scope: { inWords: describeScope(scopeRoots), numbers: scopeRoots.map((account) => account.number) },
    /** The company's control accounts to choose a scope from, each after its parent. */
    controlAccounts: scopeChoices(context.db, row.company_id).map((account) => ({ number: account.number, name: account.name, depth: account.depth })),
    audit: auditEventsAbout(context.db, paRef(row.id)).map((event) => ({ ...event, when: minute(event.at) })),
    transactions: recentTransactionsOf(context.db, row.id).map((t) => ({ ...t, typeLabel: TRANSACTION_TYPES[t.type] ?? t.type, statusLabel: STATUS_LABELS[t.status] })),
    lastLogin: row.last_login_at === null ? 'never' : minute(row.last_login_at),
  };
}

/**
 * PAs whose user ID, name, e-mail or company contains `text` (at least 2 characters); or, when the
 * text is a whole tracking number in any spelling, the PA it concerns: who submitted the request or
 * wrote the message, or whom a help-desk action was for. Finding reveals nothing a search by name
 * would not: the caller is verified on their page as always.
 */
export function findCallers(context: AppContext, text: string): { callers: CallerRow[]; byReference: string | null } {
  const reference = parseTrackingQuery(text);
  if (reference.kind === 'full') {
    const concerned = callerByTrackingNumber(context.db, reference.trackingNumber);
    return { callers: concerned ? [concerned] : [], byReference: reference.trackingNumber };
  }
  return { callers: searchCallers(context.db, text), byReference: null };
}

/**
 * The caller must have been verified in this call, within 15 minutes. Name, company and e-mail on
 * file are not secrets, so they are enough only to tell a caller their own user ID.
 */
export function requireVerified(context: AppContext, action: ActionContext, identityIsEnough = false): void {
  const verified = action.verified;
  if (verified === undefined) {
    throw new AppError(403, 'verification_required', "Verify the caller's identity before acting on the account.");
  }
  if (context.clock.nowMs() - verified.at > VERIFICATION_TTL_MS) {
    throw new AppError(403, 'verification_lapsed', 'The verification has lapsed (15 minutes). Verify the caller again.');
  }
  if (verified.method !== 'pin_and_word' && !identityIsEnough) {
    throw new AppError(403, 'verification_required', 'This needs the Verification PIN and Word; name, company and e-mail only let you tell the caller their User ID.');
  }
}

export type VerifyResult = { ok: true } | { ok: false; blocked: boolean };

/** Compares what the caller says with the PIN and word on file; five failures in a row block. */
export async function verifyCaller(context: AppContext, staff: SignedInStaff, paId: number, said: { pin: string; word: string }, sourceIp: string | null): Promise<VerifyResult> {
  const { db, clock } = context;
  const row = caller(context, paId);
  const subject = paRef(row.id);
  if (row.verification_blocked_at !== null) {
    recordAudit(db, { at: clock.nowMs(), actor: staffRef(staff.id), action: 'helpdesk.verification.failure', subject, outcome: 'failure', sourceIp, details: { reason: 'blocked' } });
    return { ok: false, blocked: true };
  }
  const hashes = verificationHashes(db, row.id)!;
  const [pinOk, wordOk] = await Promise.all([
    secretMatches(said.pin.trim(), hashes.pin_hash), secretMatches(normalizeVerificationWord(said.word), hashes.word_hash),
  ]);
  const now = clock.nowMs();
  if (pinOk && wordOk) {
    resetFailedVerifications(db, row.id);
    recordAudit(db, { at: now, actor: staffRef(staff.id), action: 'helpdesk.verification.success', subject, outcome: 'success', sourceIp });
    return { ok: true };
  }
  const counted = recordFailedVerification(db, row.id, MAX_FAILED_VERIFICATIONS, now);
  recordAudit(db, { at: now, actor: staffRef(staff.id), action: 'helpdesk.verification.failure', subject, outcome: 'failure', sourceIp,
    details: { failures: counted?.failed_verifications ?? null } });
  if (counted?.verification_blocked_at) {
    recordAudit(db, { at: now, actor: 'system', action: 'helpdesk.verification.blocked', subject, outcome: 'success', sourceIp });
    return { ok: false, blocked: true };
  }
  return { ok: false, blocked: false };
}

/** For a caller who forgot their user ID: name, company and e-mail on file must all match one PA. */
export function identifyCaller(context: AppContext, staff: SignedInStaff, said: { firstName: string; lastName: string; company: string; email: string }, sourceIp: string | null): number | undefined {
  const matches = callersByIdentity(context.db, said.firstName.trim(), said.lastName.trim(), said.company.trim(), said.email.trim());
  const now = context.clock.nowMs();
  const found = matches.length === 1 && matches[0]!.verification_blocked_at === null ? matches[0]! : undefined;
  recordAudit(context.db, {
    at: now, actor: staffRef(staff.id), action: 'helpdesk.identified', subject: found ? paRef(found.id) : null,
    outcome: found ? 'success' : 'failure', sourceIp, details: { matches: matches.length },
  });
  return found?.id;
}

export function clearBlock(context: AppContext, action: ActionContext, paId: number): void {
  const row = caller(context, paId);
  if (!clearVerificationBlock(context.db, row.id)) throw new AppError(409, 'not_blocked', 'Verification is not blocked for this caller.');
  recordAudit(context.db, { at: context.clock.nowMs(), actor: staffRef(action.staff.id), action: 'helpdesk.verification.unblocked', subject: paRef(row.id), outcome: 'success', sourceIp: action.sourceIp });
}

/** What the company's primary PA says on the call to approve a change to another PA. */
export interface PrimaryAnswers {
  primaryPin?: string;
  primaryWord?: string;
}

/**
 * The company's primary PA, on the call, approves a change to another PA's rights by their PIN and
 * word. A wrong answer is a guess like any other, so it counts towards the same block as a caller
 * verification (five, then a supervisor must clear it); a blank one is not a guess and is not counted.
 */
export async function verifyPrimaryOnTheCall(context: AppContext, action: ActionContext, row: CallerRow, change: PrimaryAnswers): Promise<number> {
  const { db, clock } = context;
  const pin = (change.primaryPin ?? '').trim();
  const word = normalizeVerificationWord(change.primaryWord ?? '');
  if (pin === '' || word === '') {
    const fields = {
      ...(pin === '' ? { primaryPin: "Enter the primary PA's Verification PIN." } : {}),
      ...(word === '' ? { primaryWord: "Enter the primary PA's Verification Word." } : {}),
    };
    throw new AppError(403, 'primary_not_verified',
      `Enter the primary PA's Verification PIN and Word: ${row.company_name}'s primary Program Administrator must be on the call to change another administrator's permissions or scope.`, fields);
  }
  const primary = primaryOf(db, row.company_id);
  const refuse = (details: Record<string, unknown>) => recordAudit(db, {
    at: clock.nowMs(), actor: staffRef(action.staff.id), action: 'helpdesk.verification.failure', subject: primary ? paRef(primary.id) : null,
    outcome: 'failure', sourceIp: action.sourceIp, details: { reason: 'primary_not_verified', forCaller: row.id, ...details },
  });
  const blocked = () => new AppError(423, 'verification_blocked',
    `Verification of ${row.company_name}'s primary Program Administrator is blocked after ${MAX_FAILED_VERIFICATIONS} failed attempts. A supervisor must clear it.`);
  const mismatch = () => new AppError(403, 'primary_not_verified', "The primary PA's PIN or word does not match our records: the verification failed.");
  if (!primary) {
    refuse({});
    throw mismatch();
  }
  if (primary.verification_blocked_at !== null) {
    refuse({ blocked: true });
    throw blocked();
  }
  const hashes = verificationHashes(db, primary.id)!;
  const [pinOk, wordOk] = await Promise.all([secretMatches(pin, hashes.pin_hash), secretMatches(word, hashes.word_hash)]);
  const now = clock.nowMs();
  if (pinOk && wordOk) {
    resetFailedVerifications(db, primary.id);
    return primary.id;
  }
  const counted = recordFailedVerification(db, primary.id, MAX_FAILED_VERIFICATIONS, now);
  refuse({ failures: counted?.failed_verifications ?? null });
  // No row counted: another request blocked the primary meanwhile.
  if (!counted || counted.verification_blocked_at !== null) {
    if (counted) recordAudit(db, { at: now, actor: 'system', action: 'helpdesk.verification.blocked', subject: paRef(primary.id), outcome: 'success', sourceIp: action.sourceIp });
    throw blocked();
  }
  throw mismatch();
}
