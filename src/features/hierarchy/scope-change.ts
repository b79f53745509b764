// A scope as people and scripts name it: control-account numbers, or none for the whole company.
// The help desk, the Access Center and the simulator's builders all read one through here, so a
// scope means the same whoever sets it.
import type { Database } from '../../db/database';
import { AppError } from '../../lib/errors';
import { controlAccountsNumbered, controlAccountsOf, scopeRootsOf, type ControlAccountRow } from './hierarchy.repository';

/**
 * The control accounts named by `numbers` in the company, as scope roots: null for the whole
 * company. An account inside another named one adds nothing and is dropped. Unknown numbers: 400.
 */
export function scopeRootsNamed(db: Database, companyId: number, numbers: readonly string[] | null): ControlAccountRow[] | null {
  if (numbers === null) return null;
  const wanted = [...new Set(numbers.map((number) => number.trim()).filter((number) => number !== ''))];
  if (wanted.length === 0) return null;
  const found = controlAccountsNumbered(db, companyId, wanted);
  const known = new Set(found.map((account) => account.number.toUpperCase()));
  const unknown = wanted.filter((number) => !known.has(number.toUpperCase()));
  if (unknown.length > 0) {
    throw new AppError(400, 'unknown_control_account', `There is no control account ${unknown.join(', ')} in this company.`, { scope: 'Choose control accounts from the list.' });
  }
  return withoutNested(db, found);
}

/** Drops every account that lies under another one of the list. */
function withoutNested(db: Database, accounts: ControlAccountRow[]): ControlAccountRow[] {
  const ids = new Set(accounts.map((account) => account.id));
  return accounts.filter((account) => {
    for (let parent = account.parent_id; parent !== null;) {
      if (ids.has(parent)) return false;
      parent = db.get<{ parent_id: number | null }>('SELECT parent_id FROM control_accounts WHERE id = ?', parent)?.parent_id ?? null;
    }
    return true;
  });
}

/** The scope in words: "the whole company", or the roots by name and number. */
export function describeScope(roots: readonly Pick<ControlAccountRow, 'name' | 'number'>[] | null): string {
  if (roots === null || roots.length === 0) return 'the whole company';
  return roots.map((account) => `${account.name} (${account.number})`).join(', ');
}

/** The PA's scope roots as numbers, or null for the whole company. */
export function scopeNumbersOf(db: Database, paId: number): string[] | null {
  const roots = scopeRootsOf(db, paId);
  return roots.length === 0 ? null : roots.map((account) => account.number);
}

/** The company's control accounts as a scope is chosen from them: each right after its parent, siblings by number. */
export function scopeChoices(db: Database, companyId: number): ControlAccountRow[] {
  const children = new Map<number | null, ControlAccountRow[]>();
  for (const account of controlAccountsOf(db, companyId)) children.set(account.parent_id, [...(children.get(account.parent_id) ?? []), account]);
  const ordered: ControlAccountRow[] = [];
  const visit = (parentId: number | null): void => {
    for (const account of children.get(parentId) ?? []) {
      ordered.push(account);
      visit(account.id);
    }
  };
  visit(null);
  return ordered;
}
