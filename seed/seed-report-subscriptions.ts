// Subscribes a scenario's PAs to their reports through the Reports page's own service, so each first
// due time is the one the page would give at the clock's start.
import type { AppContext } from '../src/context';
import { findAdministratorByUserId, findSignedInAdministrator } from '../src/features/accounts/accounts.repository';
import { toSignedInAdministrator } from '../src/features/accounts/sign-in.service';
import { subscribe } from '../src/features/reports/subscriptions.service';
import type { ReportSubscriptionSeed, ScenarioDocument } from '../src/features/scenarios/scenario-schema';

export function seedReportSubscriptions(context: AppContext, scenario: Pick<ScenarioDocument, 'controlAccounts'>, subscriptions: ReportSubscriptionSeed[]): void {
  const numbers = new Map(scenario.controlAccounts.map((account) => [account.key, account.number]));
  for (const subscription of subscriptions) {
    const subscriber = toSignedInAdministrator(findSignedInAdministrator(context.db, findAdministratorByUserId(context.db, subscription.subscriber)!.id)!);
    subscribe(context, subscriber, subscription.report, subscription.frequency, {
      ...(subscription.account === undefined ? {} : { account: numbers.get(subscription.account)! }),
      ...(subscription.reason === undefined ? {} : { reason: subscription.reason }),
    });
  }
}
