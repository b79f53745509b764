// Sends a scenario's pending card-application invitations through the portal's own rules, as the
// inviting PA would have, so each has its card_application transaction and its e-mail in the outbox.
import type { AppContext } from '../src/context';
import { findAdministratorByUserId, findSignedInAdministrator } from '../src/features/accounts/accounts.repository';
import { toSignedInAdministrator } from '../src/features/accounts/sign-in.service';
import { inviteEmployee } from '../src/features/applications/applications.service';
import type { InvitationSeed, ScenarioDocument } from '../src/features/scenarios/scenario-schema';

const DAY_MS = 86_400_000;

export function seedInvitations(context: AppContext, scenario: Pick<ScenarioDocument, 'controlAccounts'>, invitations: InvitationSeed[], now: number): void {
  const numbers = new Map(scenario.controlAccounts.map((account) => [account.key, account.number]));
  for (const invitation of invitations) {
    const inviter = toSignedInAdministrator(findSignedInAdministrator(context.db, findAdministratorByUserId(context.db, invitation.invitedBy)!.id)!);
    const result = inviteEmployee(context, inviter, {
      employeeName: invitation.employeeName, employeeEmail: invitation.employeeEmail, controlAccount: numbers.get(invitation.controlAccount)!,
      tier: invitation.tier, limitCents: Math.round(invitation.limitDollars * 100),
    }, now - invitation.invitedDaysAgo * DAY_MS, { sourceIp: null, actor: 'simulator', ...(invitation.token ? { token: invitation.token } : {}) });
    // The document was checked before loading: a refusal here is a mistake in the checks.
    if (!result.ok) throw new Error(`The invitation of ${invitation.employeeEmail} was refused: ${Object.values(result.errors).join(' ')}`);
  }
}
