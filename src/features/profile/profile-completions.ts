// How the profile's transactions complete: a contact-details change request waits for a help-desk
// agent to apply or reject it, never for the clock.
import type { CompletionDeclarations } from '../transactions/completion';

export const PROFILE_COMPLETIONS: CompletionDeclarations = {
  contact_change_request: { kind: 'manual' },
};
