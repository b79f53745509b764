// How the Help Desk's transactions complete. Its actions take effect while the caller is on the
// phone, so they are recorded completed at once; an escalation waits for a supervisor to resolve it.
import type { CompletionDeclarations } from '../transactions/completion';

export const HELPDESK_COMPLETIONS: CompletionDeclarations = {
  reactivation: { kind: 'instant' },
  unlock: { kind: 'instant' },
  user_id_disclosure: { kind: 'instant' },
  access_code_reissue: { kind: 'instant' },
  permission_change: { kind: 'instant' },
  contact_update: { kind: 'instant' },
  fraud_hold_lifted: { kind: 'instant' },
  two_step_reset: { kind: 'instant' },
  escalation: { kind: 'manual' },
};
