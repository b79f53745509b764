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

export interface ControlAccountForScripts {
  company: string;
  number: string;
  name: string;
  /** The number of the account it sits under; null: directly under the company. */
  parent: string | null;
  /** 1 for a top-level account, down to 4. */
  level: number;
}

/** The control accounts of every company, or of the one named (name in any case, program number or id), by company and number. */
export function controlAccountsForScripts(db: Database, companyNamed?: string): ControlAccountForScripts[] {
  return db.all<ControlAccountForScripts>(
    `SELECT co.name AS company, ca.number, ca.name, parent.number AS parent, ca.depth AS level
       FROM control_accounts ca JOIN companies co ON co.id = ca.company_id
       LEFT JOIN control_accounts parent ON parent.id = ca.parent_id
      WHERE :company IS NULL OR co.name = :company COLLATE NOCASE OR co.program_number = :company OR CAST(co.id AS TEXT) = :company
      ORDER BY co.id, ca.number`, { company: companyNamed ?? null });
}
