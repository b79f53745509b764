// The people of the loaded scenario with the credentials that sign them in now, for scripts and the console.
import type { ScenarioDefinition } from '../../../seed/scenario';
import type { AppContext } from '../../context';
import { textablePhone } from '../../lib/phone-number';
import { seededAdministrators, staffUsers } from './sim.repository';

export interface Persona {
  userId: string;
  password: string;
  /** When the password was last set through the portal (first login, reset); null while it is the scenario's. */
  passwordChangedAt: string | null;
  email: string;
  /** The E.164 number texts to a PA go to; null with no phone on file, and for staff. */
  phone: string | null;
  /** Where a PA's 2-step sign-in codes go; null with 2-step off, and for staff. */
  twoStep: 'email' | 'sms' | null;
  verificationPin: string | null;
  verificationWord: string | null;
  accessCode: string | null;
  role: 'program_administrator' | 'agent' | 'supervisor';
  primary: boolean;
  company: string | null;
  permissions: string[];
  /** The numbers of the control accounts whose subtrees a PA is limited to; null: the whole company (and for staff). */
  scope: string[] | null;
  state: string;
}

/**
 * Every seeded person with the credentials that sign them in right now: the user ID and password
 * chosen at first login or reset through the portal once there are some, else the scenario's.
 */
export function listPersonas(context: AppContext, scenario: ScenarioDefinition | undefined): Persona[] {
  if (!scenario) return [];
  const liveAdministrators = new Map(seededAdministrators(context.db).map((row) => [row.persona_key, row]));
  const liveStaff = new Map(staffUsers(context.db).map((row) => [row.staff_id.toLowerCase(), row]));
  const administrators = scenario.programAdministrators.flatMap((seed): Persona[] => {
    const live = liveAdministrators.get(seed.userId);
    if (!live) return [];
    return [{
      userId: live.user_id ?? seed.userId,
      password: live.portal_password ?? seed.password,
      passwordChangedAt: live.portal_password_set_at === null ? null : new Date(live.portal_password_set_at).toISOString(),
      email: live.email,
      phone: textablePhone(live.phone) ?? null,
      twoStep: live.two_step_channel,
      verificationPin: seed.verificationPin,
      verificationWord: seed.verificationWord,
      // The seeded code is only worth showing while it can still be used.
      accessCode: live.state === 'pending' ? (seed.accessCode ?? null) : null,
      role: 'program_administrator',
      primary: live.is_primary === 1,
      company: live.company_name,
      permissions: live.permissions ? live.permissions.split(',') : [],
      scope: live.scope === null ? null : live.scope.split(','),
      state: live.state,
    }];
  });
  const staff = scenario.staff.flatMap((seed): Persona[] => {
    const live = liveStaff.get(seed.staffId.toLowerCase());
    if (!live) return [];
    return [{
      userId: seed.staffId,
      password: seed.password,
      passwordChangedAt: null,
      email: live.email,
      phone: null,
      twoStep: null,
      verificationPin: null,
      verificationWord: null,
      accessCode: null,
      role: live.role as Persona['role'],
      primary: false,
      company: null,
      permissions: [],
      scope: null,
      state: live.state,
    }];
  });
  return [...administrators, ...staff];
}
