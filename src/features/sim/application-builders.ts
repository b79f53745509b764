// The card-application builder: a script invites an employee to apply as a PA would (the invitation
// e-mail goes to the outbox), and may have the employee complete the application at once.
import crypto from 'node:crypto';
import type { AppContext } from '../../context';
import { AppError, badRequest, notFound } from '../../lib/errors';
import { findAdministratorByUserId, findSignedInAdministrator } from '../accounts/accounts.repository';
import { toSignedInAdministrator } from '../accounts/sign-in.service';
import { applicationStateOf } from '../applications/applications.repository';
import { completeApplication, inviteEmployee } from '../applications/applications.service';
import type { ApplicationBuildInput } from './sim-schemas';

export function createApplication(context: AppContext, input: ApplicationBuildInput, origin: string) {
  const { db, clock } = context;
  const row = findAdministratorByUserId(db, input.invitedBy);
  const signedIn = row ? findSignedInAdministrator(db, row.id) : undefined;
  if (!row || !signedIn) throw notFound(`There is no registered Program Administrator with the user ID "${input.invitedBy}".`);
  const inviter = toSignedInAdministrator(signedIn);
  if (row.state !== 'active' || !inviter.permissions.includes('cards.apply')) {
    throw new AppError(409, 'not_permitted', `${input.invitedBy} is not an active Program Administrator holding cards.apply.`);
  }
  const token = crypto.randomBytes(32).toString('base64url');
  const invited = inviteEmployee(context, inviter, {
    employeeName: input.employeeName, employeeEmail: input.employeeEmail, controlAccount: input.controlAccount, tier: input.tier,
    limitCents: Math.round(input.limitDollars * 100),
  }, clock.nowMs(), { sourceIp: null, actor: 'simulator', token });
  if (!invited.ok) {
    const { requestedLimit, ...others } = invited.errors;
    throw badRequest('invalid_input', 'The request is not valid.', { ...others, ...(requestedLimit ? { limitDollars: requestedLimit } : {}) });
  }
  if (input.completed) completeApplication(context, token, { jobTitle: 'Employee', phone: null }, null);
  const state = applicationStateOf(db, invited.trackingNumber)!;
  return { trackingNumber: invited.trackingNumber, company: inviter.companyName, state, applyUrl: input.completed ? null : `${origin}/apply/${token}` };
}
