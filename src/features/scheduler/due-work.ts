// Work that falls due as simulated time passes: done whenever the clock is moved, and before a
// page is served if anything has fallen due since (real time passes too).
import type { RequestHandler } from 'express';
import type { AppContext } from '../../context';
import { deactivateIdleUsers } from '../accounts/sign-in.service';
import { settleApplications } from '../applications/application-due-work';
import { endTemporaryLimits } from '../cards/cards.repository';
import { escalateOverdueThreads } from '../messages/messages.service';
import { startDueDeliveries } from '../reports/subscriptions.service';
import { progressDueTransactions } from '../transactions/lifecycle';

/** Pages look for due work at most this often (simulated ms). */
const PAGE_CHECK_INTERVAL_MS = 1_000;

export interface DueWorkReport {
  transactionSteps: number;
  temporaryLimitsEnded: number;
  deactivated: number;
  /** Secure messages whose promised answer time passed, escalated to the supervisors. */
  messagesOverdue: number;
  /** Report subscriptions that fell due: made and e-mailed in the background, a chunk at a time (deliveriesSettled waits for them). */
  reportsDue: number;
}

export function runDueWork(context: AppContext): DueWorkReport {
  const now = context.clock.nowMs();
  const transactionSteps = progressDueTransactions(context, now);
  // After the lifecycle, so a card issued just now gets its Welcome e-mail in the same pass.
  settleApplications(context, now);
  return {
    transactionSteps,
    temporaryLimitsEnded: endTemporaryLimits(context.db, now),
    deactivated: deactivateIdleUsers(context).length,
    messagesOverdue: escalateOverdueThreads(context, now),
    reportsDue: startDueDeliveries(context, now),
  };
}

/** Catches up on due work before serving a page, so what a person sees is current. */
export function catchUpDueWork(context: AppContext): RequestHandler {
  let lastRunAt = -Infinity;
  return (_req, _res, next) => {
    const now = context.clock.nowMs();
    if (now - lastRunAt >= PAGE_CHECK_INTERVAL_MS) {
      lastRunAt = now;
      runDueWork(context);
    }
    next();
  };
}
