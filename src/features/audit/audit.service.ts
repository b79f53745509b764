// The audit log: every authentication and help-desk event, with simulated time, actor, subject,
// outcome and source address. Details are plain context; a secret never goes in.
import type { Database } from '../../db/database';
import { recordJournalEvent } from '../journal/journal.service';
import { insertAuditEvent } from './audit.repository';

export type AuditAction =
  | 'login.success' | 'login.failure' | 'logout'
  | 'account.locked' | 'account.deactivated'
  | 'enrollment.created' | 'access_code.issued' | 'access_code.voided'
  | 'registration.verified' | 'registration.failure' | 'registration.completed'
  | 'password_reset.requested' | 'password_reset.refused' | 'password_reset.completed'
  | 'staff.login.success' | 'staff.login.failure' | 'staff.locked' | 'staff.logout' | 'staff.unlocked'
  | 'helpdesk.verification.success' | 'helpdesk.verification.failure' | 'helpdesk.verification.blocked' | 'helpdesk.verification.unblocked'
  | 'helpdesk.identified' | 'helpdesk.reactivated' | 'helpdesk.unlocked' | 'helpdesk.user_id_disclosed' | 'helpdesk.access_code_reissued'
  | 'helpdesk.permissions_changed' | 'helpdesk.contact_updated' | 'helpdesk.fraud_hold_lifted' | 'helpdesk.escalated'
  | 'password.changed' | 'password.change_failed' | 'step_up.success' | 'step_up.failure' | 'session.ended' | 'session.ended_others'
  | 'contact_change.requested' | 'helpdesk.contact_change_completed' | 'helpdesk.contact_change_rejected'
  | 'helpdesk.escalation_resolved' | 'helpdesk.message_answered' | 'helpdesk.message_closed'
  | 'simulator.fraud_alert' | 'simulator.state_set' | 'simulator.approval_rules_set'
  | 'login.password_accepted' | 'two_step.code_sent' | 'two_step.success' | 'two_step.failure'
  | 'two_step.enabled' | 'two_step.changed' | 'two_step.disabled' | 'helpdesk.two_step_reset'
  | 'device.trusted' | 'device.revoked'
  | 'access.enrolled' | 'access.permissions_changed' | 'access.scope_changed' | 'access.deactivated' | 'access.reactivated'
  | 'held_change.held' | 'held_change.approved' | 'held_change.rejected' | 'held_change.withdrawn'
  | 'application.invited' | 'application.submitted' | 'application.approved' | 'application.rerouted' | 'application.rejected'
  | 'application.cancelled' | 'application.expired';

export interface AuditEvent {
  at: number;
  actor: string;
  action: AuditAction;
  subject?: string | null;
  outcome: 'success' | 'failure';
  sourceIp?: string | null;
  details?: Record<string, string | number | boolean | null>;
}

export const paRef = (id: number): string => `pa:${id}`;

/** The longest piece of typed text kept in an audit detail (a user ID someone tried, say). */
const MAX_DETAIL_LENGTH = 64;

export function recordAudit(db: Database, event: AuditEvent): void {
  const details = Object.fromEntries(
    Object.entries(event.details ?? {}).map(([key, value]) => [
      key, typeof value === 'string' ? value.slice(0, MAX_DETAIL_LENGTH) : value,
    ]),
  );
  // One transaction: the journal holds every audit event, or neither has it.
  db.tx(() => {
    insertAuditEvent(db, {
      at: event.at,
      actor: event.actor,
      action: event.action,
      subject: event.subject ?? null,
      outcome: event.outcome,
      source_ip: event.sourceIp ?? null,
      details: JSON.stringify(details),
    });
    recordJournalEvent(db, { at: event.at, type: event.action, actor: event.actor, subject: event.subject ?? null, data: details });
  });
}
