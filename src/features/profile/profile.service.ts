// What the PA's profile shows: their details, what their permissions let them do, and their latest
// sign-ins and failed sign-ins from the audit log.
import type { AppContext } from '../../context';
import { notFound } from '../../lib/errors';
import { paRef } from '../audit/audit.service';
import type { SignedInAdministrator } from '../accounts/sign-in.service';
import { PERMISSION_SENTENCES } from '../permissions/permission-sentences';
import { openContactRequestsOf, profileDetails, signInEvents } from './profile.repository';
import { describeContactRequest } from './contact-change.service';

/** How many sign-ins and failures the profile lists. */
export const SIGN_IN_HISTORY_LENGTH = 10;

/** Why a sign-in failed, in words, by the reason the audit log records. */
const FAILURE_REASONS: Record<string, string> = {
  wrong_password: 'Wrong password',
  inactive: 'User ID inactive',
  locked: 'User ID locked',
  suspended: 'User ID restricted',
  pending: 'First login not completed',
};

export const minute = (at: number) => `${new Date(at).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

function signInHistory(context: AppContext, paId: number) {
  return signInEvents(context.db, paRef(paId), SIGN_IN_HISTORY_LENGTH).map((event) => {
    const reason = event.action === 'login.failure' ? (JSON.parse(event.details) as { reason?: unknown }).reason : undefined;
    return {
      when: minute(event.at),
      succeeded: event.outcome === 'success',
      outcome: event.outcome === 'success' ? 'Signed in' : 'Failed',
      reason: event.outcome === 'success' ? '' : (FAILURE_REASONS[String(reason)] ?? 'Refused'),
      sourceIp: event.source_ip ?? 'unknown',
    };
  });
}

export function profileOf(context: AppContext, user: SignedInAdministrator) {
  const details = profileDetails(context.db, user.id);
  if (!details) throw notFound('There is no such Program Administrator.');
  return {
    details: {
      name: `${details.first_name} ${details.last_name}`,
      email: details.email,
      phone: details.phone,
      company: details.company_name,
      role: details.is_primary === 1 ? 'Primary Program Administrator' : 'Program Administrator',
      userId: details.user_id ?? '',
    },
    permissionSentences: user.permissions.map((permission) => PERMISSION_SENTENCES[permission]),
    signIns: signInHistory(context, user.id),
    openContactRequest: openContactRequestsOf(context.db, user.id).map(describeContactRequest)[0] ?? null,
  };
}
