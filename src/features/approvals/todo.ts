// The approvers' To-Do list on the homepage: what waits for this PA's decision. Each kind of item
// (card applications, changes held for a second PA) comes from its own source below; the list
// shows only what the PA may decide (cards.approve, within their scope, never their own requests).
import type { AppContext } from '../../context';
import type { SignedInAdministrator } from '../accounts/sign-in.service';
import { heldChangesToDo } from './held-changes.service';
import { applicationToDoItems } from '../applications/applications.service';

export interface ToDoItem {
  /** What it is, for scripts: `application`, `held_change`. */
  kind: string;
  /** Its tracking number. */
  trackingNumber: string;
  text: string;
  /** Where the PA decides it. */
  href: string;
  /** Simulated time it began waiting, ms. */
  waitingSince: number;
}

type ToDoSource = (context: AppContext, user: SignedInAdministrator) => ToDoItem[];

/** Every source of the list; a new kind of approval adds its own here. */
const SOURCES: ToDoSource[] = [
  heldChangesToDo,
  applicationToDoItems,
];

/** The PA's To-Do list, the longest waiting first; empty for a PA without cards.approve. */
export function toDoList(context: AppContext, user: SignedInAdministrator): ToDoItem[] {
  if (!user.permissions.includes('cards.approve')) return [];
  return SOURCES.flatMap((source) => source(context, user)).sort((a, b) => a.waitingSince - b.waitingSince);
}
