// Who an Access Center manager may see and what they may give. A manager sees the administrators
// whose scope lies inside their own, gives only rights and scope they hold themselves, never
// changes their own, and leaves `access.manage` to the primary PA. Each refusal has its own code,
// so a QA script can assert on the rule that stopped it.
import { AppError } from '../../lib/errors';
import type { SignedInAdministrator } from '../accounts/sign-in.service';
import { accountInScope } from '../hierarchy/scope';
import type { Permission } from '../permissions/permissions';

export type Manager = SignedInAdministrator;

/** What the rules need of the administrator being managed. */
export interface Managed {
  id: number;
  primary: boolean;
  /** Scope roots' ids; null: the whole company. */
  scopeRootIds: readonly number[] | null;
}

/**
 * Whether the manager may see (and so manage) the administrator: all of the company for a
 * company-wide manager; for a scoped one, only those scoped inside the manager's subtrees.
 */
export function withinView(manager: Manager, managed: Managed): boolean {
  if (manager.scope === null) return true;
  if (managed.scopeRootIds === null) return false;
  return managed.scopeRootIds.every((id) => accountInScope(manager.scope, id));
}

export function refuseOwnRights(manager: Manager, managed: Managed): void {
  if (manager.id === managed.id) {
    throw new AppError(403, 'own_rights', 'You cannot change your own access. Another administrator who manages access, or the Help Desk, can.');
  }
}

export function refusePrimary(managed: Managed, what: string): void {
  if (managed.primary) {
    throw new AppError(403, 'primary_pa', `The primary Program Administrator's ${what} cannot be changed online. Call the Help Desk.`);
  }
}

/** Refuses giving or taking away a right the manager does not hold, and `access.manage` unless they are the primary PA. */
export function refuseRightsNotHeld(manager: Manager, changed: readonly Permission[]): void {
  if (changed.includes('access.manage') && !manager.isPrimary) {
    throw new AppError(403, 'primary_only', 'Only the primary Program Administrator can give or take away the right to manage access.', { permissions: 'Only the primary Program Administrator can change this right.' });
  }
  const notHeld = changed.filter((permission) => !manager.permissions.includes(permission));
  if (notHeld.length > 0) {
    throw new AppError(403, 'right_not_held', `You cannot give or take away a right you do not hold yourself: ${notHeld.join(', ')}.`, { permissions: 'Choose only rights you hold yourself.' });
  }
}

/** Refuses a scope wider than the manager's: the whole company needs a company-wide manager. */
export function refuseScopeNotHeld(manager: Manager, rootIds: readonly number[] | null): void {
  const held = rootIds === null ? manager.scope === null : rootIds.every((id) => accountInScope(manager.scope, id));
  if (!held) {
    throw new AppError(403, 'scope_not_held', 'You cannot give a scope wider than your own.', { scope: 'Choose control accounts within your own scope.' });
  }
}

/** The rights a manager can hand out: their own, less `access.manage` unless they are the primary PA. */
export function grantableRights(manager: Manager): Permission[] {
  return manager.permissions.filter((permission) => permission !== 'access.manage' || manager.isPrimary);
}
