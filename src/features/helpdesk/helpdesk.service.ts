// The help desk's work on a caller: verify who is calling first, then act. Every action leaves one
// transaction (completed while the caller is on the line), one audit event, and an e-mail to the
// PA where a real portal would send one.
import type { AppContext } from '../../context';
import { AppError, forbidden, notFound } from '../../lib/errors';
import { normalizeVerificationWord, secretMatches } from '../../lib/hashing';
import { paRef, recordAudit, type AuditAction } from '../audit/audit.service';
import { reissueAccessCode } from '../accounts/enrollment.service';
import { accountNoticeEmail } from '../accounts/emails';
import { isPermission, type Permission } from '../permissions/permissions';
import { completeByHand, submitTransaction, type SubmittedTransaction } from '../transactions/lifecycle';
import type { TransactionType } from '../transactions/transaction-types';
import {
  callersByIdentity, changeCallerState, clearVerificationBlock, findCaller, findEscalation, insertEscalation, primaryOf,
  recordFailedVerification, resetFailedVerifications, resolveEscalation, setPermissions, updateContact, verificationHashes,
  type CallerRow,
} from './helpdesk.repository';
import { staffRef, type SignedInStaff } from './staff-auth.service';
import { permissionsOf } from '../accounts/accounts.repository';
import type { CallerVerification } from '../../types/express-session';

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

/**
 * The caller must have been verified in this call, within 15 minutes. Name, company and e-mail on
 * file are not secrets, so they are enough only to tell a caller their own user ID.
 */
function requireVerified(context: AppContext, action: ActionContext, identityIsEnough = false): void {
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

function requireSupervisor(action: ActionContext, what: string): void {
  if (action.staff.role !== 'supervisor') throw forbidden(`Only a supervisor can ${what}.`);
}

// ---- Verification ------------------------------------------------------------------------------

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
  requireSupervisor(action, 'clear a verification block');
  const row = caller(context, paId);
  if (!clearVerificationBlock(context.db, row.id)) throw new AppError(409, 'not_blocked', 'Verification is not blocked for this caller.');
  recordAudit(context.db, { at: context.clock.nowMs(), actor: staffRef(action.staff.id), action: 'helpdesk.verification.unblocked', subject: paRef(row.id), outcome: 'success', sourceIp: action.sourceIp });
}

// ---- Actions -----------------------------------------------------------------------------------

interface Recorded {
  type: TransactionType;
  audit: AuditAction;
  summary: string;
  details?: Record<string, unknown>;
  email?: { subject: string; type: string; paragraphs: string[] };
}

/** One transaction, one audit event, and the e-mail, in one database transaction with the change. */
function record(context: AppContext, action: ActionContext, row: CallerRow, what: Recorded, change: () => void): SubmittedTransaction {
  const { db, clock, outbox } = context;
  const now = clock.nowMs();
  return db.tx(() => {
    change();
    const submitted = submitTransaction(context, {
      companyId: row.company_id, type: what.type, submittedBy: staffRef(action.staff.id), submittedByPaId: null, subjectPaId: row.id,
      summary: what.summary, details: what.details ?? {},
    }, now);
    recordAudit(db, { at: now, actor: staffRef(action.staff.id), action: what.audit, subject: paRef(row.id), outcome: 'success', sourceIp: action.sourceIp,
      details: { trackingNumber: submitted.trackingNumber } });
    if (what.email) {
      const fresh = findCaller(db, row.id)!;
      outbox.send(accountNoticeEmail({ to: fresh.email, firstName: fresh.first_name, ...what.email }));
    }
    return submitted;
  });
}

const fullName = (row: CallerRow) => `${row.first_name} ${row.last_name}`;

export function reactivate(context: AppContext, action: ActionContext, paId: number): SubmittedTransaction {
  requireVerified(context, action);
  const row = caller(context, paId);
  if (row.state !== 'inactive') throw new AppError(409, 'not_inactive', `${fullName(row)}'s User ID is ${row.state}, not inactive.`);
  const now = context.clock.nowMs();
  return record(context, action, row, {
    type: 'reactivation', audit: 'helpdesk.reactivated', summary: `Reactivated User ID ${row.user_id} of ${fullName(row)}`,
    email: { subject: 'Your @Work User ID was reactivated', type: 'reactivated', paragraphs: ['Your @Work User ID has been reactivated by the Help Desk. You can log in again with your User ID and password.'] },
  }, () => {
    // The 120 days start again now: reactivation counts as a fresh start, like a login.
    if (!changeCallerState(context.db, row.id, 'inactive', 'active', now, { restartInactivity: true })) throw new AppError(409, 'not_inactive', 'The User ID is no longer inactive.');
  });
}

export function unlock(context: AppContext, action: ActionContext, paId: number): SubmittedTransaction {
  requireVerified(context, action);
  const row = caller(context, paId);
  if (row.state !== 'locked') throw new AppError(409, 'not_locked', `${fullName(row)}'s User ID is not locked (it is ${row.state}).`);
  const now = context.clock.nowMs();
  return record(context, action, row, {
    type: 'unlock', audit: 'helpdesk.unlocked', summary: `Unlocked User ID ${row.user_id} of ${fullName(row)}`,
    email: { subject: 'Your @Work User ID was unlocked', type: 'unlocked', paragraphs: ['Your @Work User ID has been unlocked by the Help Desk. You can log in with your existing password.'] },
  }, () => {
    if (!changeCallerState(context.db, row.id, 'locked', 'active', now, { clearFailures: true })) throw new AppError(409, 'not_locked', 'The User ID is no longer locked.');
  });
}

export function discloseUserId(context: AppContext, action: ActionContext, paId: number): { userId: string; transaction: SubmittedTransaction } {
  requireVerified(context, action, true);
  const row = caller(context, paId);
  if (!row.user_id) throw new AppError(409, 'no_user_id', `${fullName(row)} has not completed first login, so has no User ID yet. Issue a new Access Code instead.`);
  const transaction = record(context, action, row, {
    type: 'user_id_disclosure', audit: 'helpdesk.user_id_disclosed', summary: `Told ${fullName(row)} their User ID`,
    email: { subject: 'Your @Work User ID', type: 'user_id_reminder', paragraphs: [`As you asked the Help Desk, your @Work User ID is ${row.user_id}.`] },
  }, () => {});
  return { userId: row.user_id, transaction };
}

export async function newAccessCode(context: AppContext, action: ActionContext, paId: number): Promise<SubmittedTransaction> {
  requireVerified(context, action);
  const row = caller(context, paId);
  if (row.state !== 'pending') throw new AppError(409, 'not_pending', `${fullName(row)} has already completed first login; an Access Code is only for first login.`);
  // The code, its e-mail and this transaction are written in one database transaction, decided by
  // a conditional insert of the code: of two clicks at once, the second changes nothing (409).
  return reissueAccessCode(context, row.id, { actor: staffRef(action.staff.id), sourceIp: action.sourceIp, baseUrl: action.baseUrl }, () =>
    record(context, action, row, {
      type: 'access_code_reissue', audit: 'helpdesk.access_code_reissued', summary: `New Access Code sent to ${fullName(row)}`,
    }, () => {}));
}

export interface PermissionChange {
  permissions: string[];
  /** The company's primary PA, verified in the same call: required to change a non-primary PA's rights. */
  primaryPin?: string;
  primaryWord?: string;
}

/**
 * The company's primary PA, on the call, approves a change to another PA's rights by their PIN and
 * word. A wrong answer is a guess like any other, so it counts towards the same block as a caller
 * verification (five, then a supervisor must clear it); a blank one is not a guess and is not counted.
 */
async function verifyPrimaryOnTheCall(context: AppContext, action: ActionContext, row: CallerRow, change: PermissionChange): Promise<number> {
  const { db, clock } = context;
  const pin = (change.primaryPin ?? '').trim();
  const word = normalizeVerificationWord(change.primaryWord ?? '');
  if (pin === '' || word === '') {
    const fields = {
      ...(pin === '' ? { primaryPin: "Enter the primary PA's Verification PIN." } : {}),
      ...(word === '' ? { primaryWord: "Enter the primary PA's Verification Word." } : {}),
    };
    throw new AppError(403, 'primary_not_verified',
      `Enter the primary PA's Verification PIN and Word: ${row.company_name}'s primary Program Administrator must be on the call to change another administrator's permissions.`, fields);
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

export async function changePermissions(context: AppContext, action: ActionContext, paId: number, change: PermissionChange): Promise<SubmittedTransaction> {
  requireVerified(context, action);
  const row = caller(context, paId);
  const unknown = change.permissions.filter((p) => !isPermission(p));
  if (unknown.length > 0) throw new AppError(400, 'invalid_input', `Unknown permission: ${unknown.join(', ')}.`);
  const wanted = [...new Set(change.permissions as Permission[])].sort();
  /** What changes from the permissions held now; refused when nothing would. */
  const difference = () => {
    const current = permissionsOf(context.db, row.id);
    const added = wanted.filter((p) => !current.includes(p));
    const removed = current.filter((p) => !wanted.includes(p));
    if (added.length === 0 && removed.length === 0) throw new AppError(409, 'no_change', 'Those are already the permissions.');
    return { added, removed };
  };
  difference();
  if (row.is_primary === 1 && wanted.length === 0) {
    throw new AppError(409, 'last_permission', 'A primary Program Administrator cannot remove their own last permission.');
  }
  const primaryId = row.is_primary === 1 ? null : await verifyPrimaryOnTheCall(context, action, row, change);
  // Worked out again inside the transaction that writes it, after the await above: of two identical
  // changes at once, the second finds nothing to change (409) and leaves no tracking number or e-mail.
  // One connection runs each transaction whole, so nothing can come between this read and the write.
  return context.db.tx(() => {
    const { added, removed } = difference();
    return record(context, action, row, {
      type: 'permission_change', audit: 'helpdesk.permissions_changed',
      summary: `Permissions of ${fullName(row)}: ${[...added.map((p) => `+${p}`), ...removed.map((p) => `-${p}`)].join(' ')}`,
      details: { added, removed, approvedByPrimaryPaId: primaryId },
      email: { subject: 'Your @Work permissions changed', type: 'permissions_changed', paragraphs: [
        ...(added.length > 0 ? [`Added: ${added.join(', ')}.`] : []), ...(removed.length > 0 ? [`Removed: ${removed.join(', ')}.`] : []),
      ] },
    }, () => setPermissions(context.db, row.id, wanted));
  });
}

export interface ContactDetails {
  firstName: string;
  lastName: string;
  email: string;
  phone: string | null;
}

export function updateContactDetails(context: AppContext, action: ActionContext, paId: number, contact: ContactDetails): SubmittedTransaction {
  requireVerified(context, action);
  const row = caller(context, paId);
  const changed = (['firstName', 'lastName', 'email', 'phone'] as const).filter((field) => {
    const before = { firstName: row.first_name, lastName: row.last_name, email: row.email, phone: row.phone }[field];
    return (before ?? '') !== (contact[field] ?? '');
  });
  if (changed.length === 0) throw new AppError(409, 'no_change', 'Those are already the contact details.');
  const oldEmail = row.email;
  const transaction = record(context, action, row, {
    type: 'contact_update', audit: 'helpdesk.contact_updated', summary: `Contact details of ${fullName(row)} updated (${changed.join(', ')})`,
    details: { changed },
    email: { subject: 'Your @Work contact details changed', type: 'contact_updated', paragraphs: [`The Help Desk updated your ${changed.join(', ')}.`] },
  }, () => updateContact(context.db, row.id, contact));
  if (contact.email.toLowerCase() !== oldEmail.toLowerCase()) {
    // The old address hears of the change too: if the caller was an impostor, the owner finds out.
    context.outbox.send(accountNoticeEmail({ to: oldEmail, firstName: row.first_name, subject: 'Your @Work e-mail address changed', type: 'contact_updated',
      paragraphs: [`The e-mail address on your @Work User ID was changed to ${contact.email}.`] }));
  }
  return transaction;
}

export function liftFraudHold(context: AppContext, action: ActionContext, paId: number): SubmittedTransaction {
  requireSupervisor(action, 'lift a fraud suspension');
  requireVerified(context, action);
  const row = caller(context, paId);
  if (row.state !== 'suspended') throw new AppError(409, 'not_suspended', `${fullName(row)}'s User ID is not suspended.`);
  const now = context.clock.nowMs();
  return record(context, action, row, {
    type: 'fraud_hold_lifted', audit: 'helpdesk.fraud_hold_lifted', summary: `Fraud suspension lifted for ${fullName(row)}`,
    email: { subject: 'Access to your @Work User ID is restored', type: 'fraud_hold_lifted', paragraphs: ['A Help Desk supervisor has lifted the restriction on your @Work User ID. You can log in again.'] },
  }, () => {
    if (!changeCallerState(context.db, row.id, 'suspended', 'active', now, { clearFailures: true, restartInactivity: true })) throw new AppError(409, 'not_suspended', 'The User ID is no longer suspended.');
  });
}

export function escalate(context: AppContext, action: ActionContext, paId: number, note: string): SubmittedTransaction {
  requireVerified(context, action);
  const row = caller(context, paId);
  const { db, clock } = context;
  const now = clock.nowMs();
  return db.tx(() => {
    const submitted = submitTransaction(context, {
      companyId: row.company_id, type: 'escalation', submittedBy: staffRef(action.staff.id), submittedByPaId: null, subjectPaId: row.id,
      summary: `Escalated call of ${fullName(row)}`, details: { note },
    }, now);
    if (insertEscalation(db, { paId: row.id, transactionId: submitted.id, staffId: action.staff.id, note, at: now }) === undefined) {
      throw new AppError(409, 'already_escalated', 'You already escalated this call with that note; a supervisor will pick it up.');
    }
    recordAudit(db, { at: now, actor: staffRef(action.staff.id), action: 'helpdesk.escalated', subject: paRef(row.id), outcome: 'success', sourceIp: action.sourceIp,
      details: { trackingNumber: submitted.trackingNumber } });
    return submitted;
  });
}

export function resolveEscalationAs(context: AppContext, action: ActionContext, escalationId: number, resolution: string): void {
  requireSupervisor(action, 'resolve an escalation');
  const { db, clock } = context;
  const escalation = Number.isSafeInteger(escalationId) ? findEscalation(db, escalationId) : undefined;
  if (!escalation) throw notFound('There is no such escalation.');
  const now = clock.nowMs();
  db.tx(() => {
    if (!resolveEscalation(db, escalation.id, action.staff.id, resolution, now)) throw new AppError(409, 'already_resolved', 'This escalation is already resolved.');
    completeByHand(db, escalation.transaction_id, staffRef(action.staff.id), resolution, now);
    recordAudit(db, { at: now, actor: staffRef(action.staff.id), action: 'helpdesk.escalation_resolved', subject: paRef(escalation.pa_id), outcome: 'success', sourceIp: action.sourceIp });
  });
}
