// The kinds of transaction and what a person calls them.

export const TRANSACTION_TYPES = {
  card_cancel: 'Cancel card',
  card_replace: 'Replace lost or stolen card',
  card_suspend: 'Suspend card',
  card_reinstate: 'Reinstate card',
  limit_change: 'Change spending limit',
  card_application: 'New card application',
  charge_dispute: 'Charge dispute',
  card_move: 'Move card to another control account',
  held_change: 'Change held for a second approval',
  reactivation: 'Reactivate User ID',
  unlock: 'Unlock User ID',
  user_id_disclosure: 'User ID told to caller',
  access_code_reissue: 'New Access Code',
  permission_change: 'Permission change',
  scope_change: 'Scope change',
  pa_enrollment: 'Enroll program administrator',
  pa_deactivation: 'Deactivate User ID',
  contact_update: 'Contact details update',
  contact_change_request: 'Contact details change request',
  fraud_hold_lifted: 'Fraud hold lifted',
  two_step_reset: '2-step verification reset',
  escalation: 'Escalation to a supervisor',
  secure_message: 'Secure message',
} as const;

export type TransactionType = keyof typeof TRANSACTION_TYPES;

export const TRANSACTION_STATUSES = ['submitted', 'in_progress', 'completed', 'rejected'] as const;
export type TransactionStatus = (typeof TRANSACTION_STATUSES)[number];

export const STATUS_LABELS: Record<TransactionStatus, string> = {
  submitted: 'Submitted',
  in_progress: 'In progress',
  completed: 'Completed',
  rejected: 'Rejected',
};

/** What the Status Tracking Overview sorts by. No tracking-number sort: numbers are issued in submission order, so "submitted" is it. */
export const OVERVIEW_SORTS = ['submitted', 'status', 'type'] as const;
export type OverviewSort = (typeof OVERVIEW_SORTS)[number];
