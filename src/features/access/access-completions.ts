// How the Access Center's transactions complete: the change is made as it is submitted. Its
// permission changes and reactivations are the help desk's types, declared there.
import type { CompletionDeclarations } from '../transactions/completion';

export const ACCESS_COMPLETIONS: CompletionDeclarations = {
  pa_enrollment: { kind: 'instant' },
  scope_change: { kind: 'instant' },
  pa_deactivation: { kind: 'instant' },
};
