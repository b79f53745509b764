// SQL for the Access Center: a company's program administrators with what they hold, and the
// changes a manager makes to one of them.
import type { Database } from '../../db/database';
import type { AccountState } from '../accounts/accounts.repository';

export interface ManagedAdministratorRow {
  id: number;
  user_id: string | null;
  first_name: string;
  last_name: string;
  email: string;
  is_primary: number;
  state: AccountState;
  last_login_at: number | null;
  /** Comma-separated, in catalogue-key order; null when none. */
  permission_list: string | null;
  /** The scope roots as "id|number|name" joined by tabs, by number; null: the whole company. */
  scope_list: string | null;
}

const SELECT_MANAGED = `
  SELECT pa.id, pa.user_id, pa.first_name, pa.last_name, pa.email, pa.is_primary, pa.state, pa.last_login_at,
         (SELECT group_concat(permission, ',') FROM (SELECT permission FROM pa_permissions WHERE pa_id = pa.id ORDER BY permission)) AS permission_list,
         (SELECT group_concat(root, char(9)) FROM (
            SELECT ca.id || '|' || ca.number || '|' || ca.name AS root FROM pa_scopes s JOIN control_accounts ca ON ca.id = s.control_account_id
             WHERE s.pa_id = pa.id ORDER BY ca.number)) AS scope_list
    FROM program_administrators pa`;

/** Every program administrator of the company, primary first, then by name. */
export function administratorsOfCompany(db: Database, companyId: number): ManagedAdministratorRow[] {
  return db.all<ManagedAdministratorRow>(`${SELECT_MANAGED} WHERE pa.company_id = ? ORDER BY pa.is_primary DESC, pa.last_name, pa.first_name, pa.id`, companyId);
}

/** One program administrator, only if they belong to the company. */
export function administratorOfCompany(db: Database, companyId: number, paId: number): ManagedAdministratorRow | undefined {
  return db.get<ManagedAdministratorRow>(`${SELECT_MANAGED} WHERE pa.company_id = ? AND pa.id = ?`, companyId, paId);
}

/** How many of the company's administrators have this e-mail address, in any case. */
export function administratorsWithEmail(db: Database, companyId: number, email: string): number {
  return db.get<{ n: number }>('SELECT count(*) AS n FROM program_administrators WHERE company_id = ? AND lower(email) = lower(?)', companyId, email)!.n;
}
