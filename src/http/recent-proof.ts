// Step-up for sensitive changes (ASVS 7.5.x): changing the password, the e-mail or the 2-step
// settings asks for the password again once the last proof is older than the configured window.
import type { Request } from 'express';
import type { PortalRules } from '../config';

/** Whether the signed-in PA proved their password recently enough for a sensitive change. */
export function hasRecentProof(req: Request, rules: Pick<PortalRules, 'recentProofMs'>, now: number): boolean {
  const provenAt = req.session?.passwordProvenAtMs;
  return provenAt !== undefined && now - provenAt <= rules.recentProofMs;
}

/** Records that the password was just proved (at sign-in, or on a re-check form). */
export function recordPasswordProof(req: Request, now: number): void {
  req.session.passwordProvenAtMs = now;
}
