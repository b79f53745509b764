// SQL the simulator needs: which scenario is loaded, and the live state of seeded personas.
import type { Database } from '../../db/database';

export interface PersonaStateRow {
  persona_key: string;
  email: string;
  phone: string | null;
  two_step_channel: 'email' | 'sms' | null;
  state: string;
  is_primary: number;
  company_name: string;
  permissions: string | null;
  /** The numbers of the control accounts the PA is limited to; null: the whole company. */
  scope: string | null;
  /** The user ID chosen at first login; null while pending. */
  user_id: string | null;
  /** A password set through the portal since the scenario was loaded, and when. */
  portal_password: string | null;
  portal_password_set_at: number | null;
}

export interface StaffPersonaRow {
  staff_id: string;
  email: string;
  role: string;
  state: string;
}

export function currentScenarioName(db: Database): string {
  return db.get<{ scenario: string }>('SELECT scenario FROM sim_state WHERE id = 1')?.scenario ?? 'none';
}

export function seededAdministrators(db: Database): PersonaStateRow[] {
  return db.all<PersonaStateRow>(
    `SELECT pa.persona_key, pa.user_id, pa.email, pa.phone, pa.two_step_channel, pa.state, pa.is_primary, c.name AS company_name,
            pp.password AS portal_password, pp.set_at AS portal_password_set_at,
            (SELECT group_concat(permission, ',') FROM (SELECT permission FROM pa_permissions
               WHERE pa_id = pa.id ORDER BY permission)) AS permissions,
            (SELECT group_concat(number, ',') FROM (SELECT ca.number FROM pa_scopes s JOIN control_accounts ca ON ca.id = s.control_account_id
               WHERE s.pa_id = pa.id ORDER BY ca.number)) AS scope
       FROM program_administrators pa JOIN companies c ON c.id = pa.company_id
       LEFT JOIN persona_passwords pp ON pp.pa_id = pa.id
      WHERE pa.persona_key IS NOT NULL`);
}

export function staffUsers(db: Database): StaffPersonaRow[] {
  return db.all<StaffPersonaRow>('SELECT staff_id, email, role, state FROM staff_users ORDER BY id');
}

/** A company by its name (any case), program number or id, as scripts name it. */
export function companyNamed(db: Database, named: string): { id: number; name: string } | undefined {
  return db.get<{ id: number; name: string }>(
    'SELECT id, name FROM companies WHERE name = ? COLLATE NOCASE OR program_number = ? OR CAST(id AS TEXT) = ?', named, named, named);
}
