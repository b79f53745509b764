// The permission catalogue of PRODUCT.md §1, as data: what each right lets a program administrator do.

export const PERMISSIONS = {
  'cards.view': 'View cards and their charges',
  'cards.cancel': 'Cancel cards',
  'cards.replace': 'Report cards lost or stolen and order replacements',
  'cards.limits': 'Change spending limits',
  'cards.apply': 'Apply for new cards',
  'charges.dispute': 'Dispute charges',
  'statements.view': 'View statements',
  'transactions.view_all': "See every transaction of the company, not only one's own",
  'access.manage': 'Manage program administrators in the Access Center',
  'cards.approve': 'Approve card applications and held changes',
  'reports.view': "View the program's reports",
} as const;

export type Permission = keyof typeof PERMISSIONS;

export const ALL_PERMISSIONS = Object.keys(PERMISSIONS) as Permission[];

export function isPermission(value: string): value is Permission {
  return Object.hasOwn(PERMISSIONS, value);
}
