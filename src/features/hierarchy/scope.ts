// A PA's scope in the program hierarchy: the whole company, or the subtrees of some control
// accounts. Whatever lies outside it must answer exactly like something that does not exist, so
// every list and lookup of cards and transactions passes the scope to its SQL.
import type { SqlParam } from '../../db/database';

/** null: the whole company. Otherwise every control account the PA may see (the subtrees, expanded). */
export type Scope = readonly number[] | null;

export function isScoped(scope: Scope): scope is readonly number[] {
  return scope !== null;
}

export function accountInScope(scope: Scope, controlAccountId: number | null): boolean {
  if (scope === null) return true;
  return controlAccountId !== null && scope.includes(controlAccountId);
}

/** A WHERE term on `column` keeping only rows in scope, or nothing for a company-wide PA. The ids go as one JSON parameter. */
export function scopeTerm(scope: Scope, column = 'control_account_id'): { sql: string; params: SqlParam[] } | undefined {
  if (scope === null) return undefined;
  return { sql: `${column} IN (SELECT value FROM json_each(?))`, params: [JSON.stringify(scope)] };
}
