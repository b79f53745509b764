// SQL for the program hierarchy: control accounts, their subtrees, and the scope of a PA.
import type { Database } from '../../db/database';

export interface ControlAccountRow {
  id: number;
  company_id: number;
  parent_id: number | null;
  number: string;
  name: string;
  depth: number;
}

/** Every control account in the subtrees of the PA's scope, roots included; empty: the PA is not scoped. */
export function scopedAccountIdsOf(db: Database, paId: number): number[] {
  return db.all<{ id: number }>(
    `WITH RECURSIVE subtree(id) AS (
       SELECT control_account_id FROM pa_scopes WHERE pa_id = ?
       UNION SELECT ca.id FROM control_accounts ca JOIN subtree ON ca.parent_id = subtree.id)
     SELECT id FROM subtree ORDER BY id`, paId).map((row) => row.id);
}

/** The roots of the PA's scope (what was granted), in account-number order. */
export function scopeRootsOf(db: Database, paId: number): ControlAccountRow[] {
  return db.all<ControlAccountRow>(
    `SELECT ca.* FROM pa_scopes s JOIN control_accounts ca ON ca.id = s.control_account_id WHERE s.pa_id = ? ORDER BY ca.number`, paId);
}

export function controlAccountsOf(db: Database, companyId: number): ControlAccountRow[] {
  return db.all<ControlAccountRow>('SELECT * FROM control_accounts WHERE company_id = ? ORDER BY number', companyId);
}

export function findControlAccount(db: Database, companyId: number, id: number): ControlAccountRow | undefined {
  return db.get<ControlAccountRow>('SELECT * FROM control_accounts WHERE id = ? AND company_id = ?', id, companyId);
}

/** The company's first top-level account by number: where a card goes when nothing says otherwise. */
export function firstTopLevelAccount(db: Database, companyId: number): ControlAccountRow | undefined {
  return db.get<ControlAccountRow>('SELECT * FROM control_accounts WHERE company_id = ? AND parent_id IS NULL ORDER BY number LIMIT 1', companyId);
}

/** The company's control accounts with these numbers (any case); the numbers not found are simply missing from the answer. */
export function controlAccountsNumbered(db: Database, companyId: number, numbers: readonly string[]): ControlAccountRow[] {
  return db.all<ControlAccountRow>(
    `SELECT * FROM control_accounts WHERE company_id = ? AND upper(number) IN (SELECT upper(value) FROM json_each(?)) ORDER BY number`,
    companyId, JSON.stringify(numbers));
}

/** Replaces what the PA is scoped to: no roots, the whole company. */
export function setScopeRoots(db: Database, paId: number, accountIds: readonly number[]): void {
  db.run('DELETE FROM pa_scopes WHERE pa_id = ?', paId);
  for (const id of accountIds) db.run('INSERT INTO pa_scopes (pa_id, control_account_id) VALUES (?, ?)', paId, id);
}
