// The access report: who holds which right and scope, with the last sign-in. The page and the CSV
// say the same thing; the CSV names rights and accounts by their keys and numbers, for scripts.
import type { ManagedAdministrator } from './access.service';

export const ACCESS_REPORT_COLUMNS = ['user_id', 'name', 'email', 'state', 'primary', 'permissions', 'scope', 'last_sign_in'] as const;

/** One administrator's line: rights and scope roots separated by spaces, "company" for the whole company. */
export function accessReportRecord(managed: ManagedAdministrator): string[] {
  return [
    managed.userId ?? '', managed.name, managed.email, managed.state, managed.primary ? 'yes' : 'no',
    managed.permissions.join(' '), managed.scope === null ? 'company' : managed.scope.map((root) => root.number).join(' '),
    managed.lastSignIn ?? '',
  ];
}
