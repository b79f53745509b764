// How the approvals' transactions complete: a change held for a second administrator is completed
// when it is approved (and submitted) or rejected when it is rejected or withdrawn, by a person, never the clock.
import type { CompletionDeclarations } from '../transactions/completion';

export const APPROVAL_COMPLETIONS: CompletionDeclarations = {
  held_change: { kind: 'manual' },
};
