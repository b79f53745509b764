// What the homepage shows a program administrator: tiles for exactly what they may do, their
// latest requests, and notices that need their attention.
import { toDoList } from '../approvals/todo';
import type { AppContext } from '../../context';
import type { SignedInAdministrator } from '../accounts/sign-in.service';
import { countCardsInState, temporaryLimitsEndingBetween } from '../cards/cards.repository';
import { maskCardNumber } from '../cards/card-numbers';
import { CARD_ACTIONS } from '../cards/cards.service';
import type { Permission } from '../permissions/permissions';
import { recentTransactions } from '../transactions/transactions.service';

/** Temporary limits ending within this many days are worth a notice. */
const ENDING_SOON_DAYS = 7;
const DAY_MS = 86_400_000;

export interface Tile {
  id: string;
  title: string;
  text: string;
  href: string;
}

/** Each tile and the permission that earns it. */
const PERMISSION_TILES: Array<{ permission: Permission; tile: Tile }> = [
  { permission: 'cards.view', tile: { id: 'cards', title: 'Cards', text: 'Find a card, see its charges and declines.', href: '/cards' } },
  { permission: 'cards.apply', tile: { id: 'apply', title: 'Apply for a card', text: 'Request a new card for a cardmember.', href: '/cards/apply' } },
  { permission: 'cards.cancel', tile: { id: 'cancel', title: 'Cancel or suspend cards', text: 'Close a card, or suspend and reinstate it.', href: '/cards?state=active' } },
  { permission: 'cards.replace', tile: { id: 'replace', title: 'Lost or stolen cards', text: 'Report a card and order a replacement.', href: '/cards?state=active' } },
  { permission: 'cards.limits', tile: { id: 'limits', title: 'Spending limits', text: 'Change a limit permanently or for a while.', href: '/cards?state=active' } },
  { permission: 'charges.dispute', tile: { id: 'disputes', title: 'Dispute a charge', text: 'Question a charge on a card.', href: '/cards' } },
  { permission: 'statements.view', tile: { id: 'statements', title: 'Statements', text: 'Monthly totals of your program.', href: '/statements' } },
  { permission: 'reports.view', tile: { id: 'reports', title: 'Reports', text: 'Declined charges, spend by account and open requests; by e-mail on a schedule.', href: '/reports' } },
  { permission: 'access.manage', tile: { id: 'access', title: 'Access Center', text: 'Add program administrators and manage their rights.', href: '/access' } },
];

export function homeTiles(user: SignedInAdministrator): Tile[] {
  const held = new Set(user.permissions);
  const tiles = PERMISSION_TILES.filter((entry) => held.has(entry.permission)).map((entry) => entry.tile);
  tiles.push(held.has('transactions.view_all')
    ? { id: 'tracking-all', title: 'Status Tracking', text: 'Every request of your company, by status.', href: '/transactions' }
    : { id: 'tracking', title: 'Status Tracking', text: 'Your requests and where they stand.', href: '/transactions' });
  return tiles;
}

/** Something the PA can act on, with a link to where they act. */
export interface Notice {
  id: 'suspended-cards' | 'temporary-limit-ending';
  text: string;
  href: string;
  linkText: string;
}

/** Notices only for what the PA may act on: a notice without a way to act is noise to them. */
export function homeNotices(context: AppContext, user: SignedInAdministrator): Notice[] {
  const held = new Set(user.permissions);
  if (!held.has('cards.view')) return [];
  const notices: Notice[] = [];
  // Reinstating and cancelling a suspended card both take cards.cancel.
  if (held.has(CARD_ACTIONS.reinstate.permission) && held.has(CARD_ACTIONS.cancel.permission)) {
    const suspended = countCardsInState(context.db, user.companyId, 'suspended', user.scope);
    if (suspended > 0) {
      notices.push({
        id: 'suspended-cards', text: `${suspended} suspended ${suspended === 1 ? 'card is' : 'cards are'} awaiting reinstatement or cancellation.`,
        href: '/cards?state=suspended', linkText: suspended === 1 ? 'See the suspended card' : 'See the suspended cards',
      });
    }
  }
  if (held.has(CARD_ACTIONS.limit.permission)) {
    const now = context.clock.nowMs();
    for (const card of temporaryLimitsEndingBetween(context.db, user.companyId, now, now + ENDING_SOON_DAYS * DAY_MS, user.scope)) {
      notices.push({
        id: 'temporary-limit-ending',
        text: `The temporary limit on ${maskCardNumber(card.card_number)} (${card.cardmember_name}) ends on ${new Date(card.temp_limit_ends_at!).toISOString().slice(0, 10)}.`,
        href: `/cards/${card.id}/limit`, linkText: 'Change the limit',
      });
    }
  }
  return notices;
}

export function homepage(context: AppContext, user: SignedInAdministrator) {
  return { tiles: homeTiles(user), notices: homeNotices(context, user), toDo: toDoList(context, user), recent: recentTransactions(context, user) };
}
