// Work that falls due as simulated time passes, done whenever the clock is moved.
import type { AppContext } from '../../context';
import { deactivateIdleUsers } from '../accounts/sign-in.service';

export interface DueWorkReport {
  deactivated: number;
}

export function runDueWork(context: AppContext): DueWorkReport {
  return { deactivated: deactivateIdleUsers(context).length };
}
