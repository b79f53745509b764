// Enrolling a program administrator: a pending account, its Verification PIN and Word, and a
// single-use Access Code sent in the Welcome e-mail.
import crypto from 'node:crypto';
import type { AppContext } from '../../context';
import { AppError } from '../../lib/errors';
import { hashSecret, normalizeVerificationWord } from '../../lib/hashing';
import { recordAudit, paRef } from '../audit/audit.service';
import type { CapturedEmail } from '../outbox/outbox.service';
import type { Permission } from '../permissions/permissions';
import { setScopeRoots } from '../hierarchy/hierarchy.repository';
import { generateAccessCode, parseAccessCode } from './access-code';
import {
  companyName, findAdministratorById, grantPermissions, insertAccessCode, insertAccessCodeIfNoneSince, insertAdministrator,
  latestAccessCodeId, selectorInUse, voidLiveAccessCodes,
} from './accounts.repository';
import { welcomeEmail } from './emails';

const VERIFICATION_WORDS = [
  'anchor', 'beacon', 'cobalt', 'harbor', 'juniper', 'lantern', 'meadow', 'orchid', 'quartz', 'saffron',
  'summit', 'tundra', 'velvet', 'willow', 'zephyr', 'falcon', 'garnet', 'hazel', 'indigo', 'marble',
];

export interface EnrollmentInput {
  companyId: number;
  firstName: string;
  lastName: string;
  email: string;
  phone?: string | null;
  permissions: readonly Permission[];
  primary: boolean;
  verificationPin?: string;
  verificationWord?: string;
  /** The persona a scenario seeds this PA as, so the simulator can list its credentials. */
  personaKey?: string | null;
  /** A scenario's known access code; otherwise a random one is generated. */
  accessCode?: string;
  /** The control accounts whose subtrees the PA is limited to; none or absent: the whole company. */
  scopeRootIds?: readonly number[];
}

export interface Enrollment {
  paId: number;
  verificationPin: string;
  verificationWord: string;
  accessCode: string;
  welcomeEmail: CapturedEmail;
}

export interface ActionMeta {
  actor: string;
  sourceIp?: string | null;
  /** Base of links in e-mails: STORED_LINK_ORIGIN, so that each reader sees its own sandbox's origin. */
  baseUrl: string;
}

function randomPin(): string {
  return String(crypto.randomInt(0, 10_000)).padStart(4, '0');
}

/**
 * Enrolls the PA and sends the Welcome e-mail. `alongside` runs in the database transaction that
 * writes the PA (the Access Center records its tracking number there), so neither is ever alone.
 */
export async function enrollProgramAdministrator<T = void>(context: AppContext, input: EnrollmentInput, meta: ActionMeta,
  alongside?: (paId: number) => T): Promise<Enrollment & { alongside: T | undefined }> {
  const { db, clock } = context;
  const company = db.get<{ id: number }>('SELECT id FROM companies WHERE id = ?', input.companyId);
  if (!company) throw new AppError(404, 'company_not_found', 'There is no such company.');
  if (input.primary && db.get('SELECT 1 FROM program_administrators WHERE company_id = ? AND is_primary = 1', input.companyId)) {
    throw new AppError(409, 'primary_exists', 'This company already has a primary Program Administrator.');
  }
  const verificationPin = input.verificationPin ?? randomPin();
  const verificationWord = input.verificationWord ?? VERIFICATION_WORDS[crypto.randomInt(VERIFICATION_WORDS.length)]!;
  const [pinHash, wordHash] = await Promise.all([
    hashSecret(verificationPin, context.config.bcryptCost),
    hashSecret(normalizeVerificationWord(verificationWord), context.config.bcryptCost),
  ]);
  const code = await prepareAccessCode(context, input.accessCode);

  const now = clock.nowMs();
  const written = db.tx(() => {
    const id = insertAdministrator(db, {
      companyId: input.companyId, personaKey: input.personaKey ?? null, firstName: input.firstName,
      lastName: input.lastName, email: input.email, phone: input.phone ?? null, primary: input.primary,
      pinHash, wordHash, now,
    });
    grantPermissions(db, id, input.permissions);
    setScopeRoots(db, id, input.scopeRootIds ?? []);
    recordAudit(db, { at: now, actor: meta.actor, action: 'enrollment.created', subject: paRef(id), outcome: 'success', sourceIp: meta.sourceIp });
    return { id, alongside: alongside?.(id) };
  });
  const paId = written.id;
  const welcome = sendAccessCode(context, paId, code, meta);
  return { paId, verificationPin, verificationWord, accessCode: code.plain, welcomeEmail: welcome, alongside: written.alongside };
}

interface PreparedAccessCode {
  plain: string;
  selector: string;
  verifierHash: string;
}

async function prepareAccessCode(context: AppContext, known?: string): Promise<PreparedAccessCode> {
  for (;;) {
    const plain = known ?? generateAccessCode();
    const parts = parseAccessCode(plain);
    if (!parts) throw new AppError(400, 'invalid_access_code', 'That is not a valid Access Code.');
    if (selectorInUse(context.db, parts.selector)) {
      if (known) throw new AppError(409, 'access_code_in_use', 'That Access Code is already in use.');
      continue;
    }
    return { plain, selector: parts.selector, verifierHash: await hashSecret(parts.verifier, context.config.bcryptCost) };
  }
}

/**
 * Voids any live code of the PA, records the new one and sends the Welcome e-mail with it. With
 * `latestSeenId`, only if no other code was issued after that one (else 409, and nothing written).
 */
function sendAccessCode(context: AppContext, paId: number, code: PreparedAccessCode, meta: ActionMeta, latestSeenId?: number): CapturedEmail {
  const { db, clock, outbox } = context;
  const now = clock.nowMs();
  const expiresAt = now + context.config.rules.accessCodeTtlMs;
  return db.tx(() => {
    voidLiveAccessCodes(db, paId, now);
    const row = { paId, selector: code.selector, verifierHash: code.verifierHash, issuedAt: now, expiresAt };
    if (latestSeenId === undefined) insertAccessCode(db, row);
    else if (insertAccessCodeIfNoneSince(db, row, latestSeenId) === undefined) {
      throw new AppError(409, 'access_code_just_sent', 'A new Access Code was just sent to this user (or they completed first login). Reload the page before sending another.');
    }
    const pa = findAdministratorById(db, paId)!;
    recordAudit(db, { at: now, actor: meta.actor, action: 'access_code.issued', subject: paRef(paId), outcome: 'success', sourceIp: meta.sourceIp });
    return outbox.send(welcomeEmail({
      to: pa.email, firstName: pa.first_name, companyName: companyName(db, pa.company_id), accessCode: code.plain,
      registerUrl: `${meta.baseUrl}/register`, expiresAt,
    }));
  });
}

/**
 * A new Access Code (and Welcome e-mail) for a PA who has not completed first login: the help desk's
 * remedy. The code is hashed first (the slow part); then one transaction records it, only if no
 * other code was issued meanwhile, and runs `alongside` (the help desk's own records), so two clicks
 * at once send one e-mail and leave one transaction.
 */
export async function reissueAccessCode<T>(context: AppContext, paId: number, meta: ActionMeta, alongside: () => T): Promise<T> {
  const latestSeenId = latestAccessCodeId(context.db, paId);
  const code = await prepareAccessCode(context);
  return context.db.tx(() => {
    sendAccessCode(context, paId, code, meta, latestSeenId);
    return alongside();
  });
}
