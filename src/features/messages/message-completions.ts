// How a secure-message thread's transaction moves: by the people writing in it, never the clock.
// An agent's first answer puts it in progress; closing the thread completes it.
import type { CompletionDeclarations } from '../transactions/completion';

export const MESSAGE_COMPLETIONS: CompletionDeclarations = {
  secure_message: { kind: 'manual' },
};
