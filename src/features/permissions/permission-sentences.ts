// What each permission lets a program administrator do, in one sentence for the profile page. Kept
// next to the catalogue so a new permission without its sentence fails the type check.
import type { Permission } from './permissions';

export const PERMISSION_SENTENCES: Record<Permission, string> = {
  'cards.view': "You can see your company's cards, their details and their charges.",
  'cards.cancel': 'You can cancel cards.',
  'cards.replace': 'You can report cards lost or stolen and order their replacements.',
  'cards.limits': "You can change cards' spending limits, for good or for a while.",
  'cards.apply': 'You can apply for new cards for your employees.',
  'charges.dispute': 'You can dispute charges on cards.',
  'statements.view': "You can see your company's monthly statements.",
  'transactions.view_all': "You can see every request of your company in Status Tracking, not only your own.",
  'access.manage': "You can add program administrators in the Access Center and change their rights within your own.",
  'cards.approve': "You can approve, reroute or reject card applications and changes waiting for a second administrator, except your own.",
  'reports.view': "You can see and subscribe to the program's reports: declined charges, spend and open requests.",
};
