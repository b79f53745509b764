import { loadConfig } from '../../src/config';
import { closeContext, createContext, type AppContext, type ContextOptions } from '../../src/context';
import { ACCESS_COMPLETIONS } from '../../src/features/access/access-completions';
import { APPROVAL_COMPLETIONS } from '../../src/features/approvals/approval-completions';
import { CARD_TRANSACTION_COMPLETIONS } from '../../src/features/cards/card-transactions';
import { HELPDESK_COMPLETIONS } from '../../src/features/helpdesk/helpdesk-completions';
import { MESSAGE_COMPLETIONS } from '../../src/features/messages/message-completions';
import { PROFILE_COMPLETIONS } from '../../src/features/profile/profile-completions';
import { TransactionRegistry } from '../../src/features/transactions/completion';
import { PICKUP_DELAY_MS, progressDueTransactions, submitTransaction, type NewTransaction } from '../../src/features/transactions/lifecycle';
import { TRANSACTION_TYPES, type TransactionType } from '../../src/features/transactions/transaction-types';
import { createLogger } from '../../src/lib/logger';
import { buildTransactionRegistry } from '../../src/transaction-registry';

const CARD_TYPES: TransactionType[] = ['card_cancel', 'card_replace', 'card_suspend', 'card_reinstate', 'limit_change', 'card_application', 'charge_dispute', 'card_move'];
const HELPDESK_INSTANT: TransactionType[] = ['reactivation', 'unlock', 'user_id_disclosure', 'access_code_reissue', 'permission_change', 'contact_update', 'fraud_hold_lifted', 'two_step_reset'];

const contextOptions = (): ContextOptions => ({
  config: loadConfig({ BCRYPT_COST: '4' }), logger: createLogger('silent'),
  sessionSecret: 'unit-session-secret-0123456789abcdef-0123456789', simToken: 'unit-sim-token-0123456789abcdef', databaseFile: ':memory:',
});

describe('the transaction registry of the composition root', () => {
  it('declares what completes every type of transaction', () => {
    const registry = buildTransactionRegistry();
    const kinds = Object.fromEntries((Object.keys(TRANSACTION_TYPES) as TransactionType[]).map((type) => [type, registry.completionOf(type).kind]));
    expect(kinds).toEqual({
      ...Object.fromEntries(CARD_TYPES.map((type) => [type, 'handler'])),
      ...Object.fromEntries(HELPDESK_INSTANT.map((type) => [type, 'instant'])),
      scope_change: 'instant', pa_enrollment: 'instant', pa_deactivation: 'instant',
      escalation: 'manual',
      contact_change_request: 'manual',
      secure_message: 'manual',
      held_change: 'manual',
    });
  });

  it('refuses a registry that leaves types undeclared, naming each of them', () => {
    expect(() => buildTransactionRegistry([CARD_TRANSACTION_COMPLETIONS])).toThrow(
      `Nothing declares what completes these transaction types: ${['held_change', ...HELPDESK_INSTANT.slice(0, 5), 'scope_change', 'pa_enrollment', 'pa_deactivation', 'contact_update', 'contact_change_request', 'fraud_hold_lifted', 'two_step_reset', 'escalation', 'secure_message'].join(', ')}.`);
    const { escalation: _left, ...allButEscalation } = HELPDESK_COMPLETIONS;
    expect(() => buildTransactionRegistry([CARD_TRANSACTION_COMPLETIONS, allButEscalation, PROFILE_COMPLETIONS, MESSAGE_COMPLETIONS, ACCESS_COMPLETIONS, APPROVAL_COMPLETIONS])).toThrow(/types: escalation\.$/);
  });

  it('refuses a type declared twice', () => {
    expect(() => buildTransactionRegistry([CARD_TRANSACTION_COMPLETIONS, HELPDESK_COMPLETIONS, { unlock: { kind: 'manual' } }]))
      .toThrow('The transaction type unlock is declared twice.');
  });

  it('stops a sandbox from starting when a feature leaves a type undeclared', () => {
    jest.isolateModules(() => {
      jest.doMock('../../src/features/helpdesk/helpdesk-completions', () => {
        const { escalation: _left, ...rest } = jest.requireActual<typeof import('../../src/features/helpdesk/helpdesk-completions')>(
          '../../src/features/helpdesk/helpdesk-completions').HELPDESK_COMPLETIONS;
        return { HELPDESK_COMPLETIONS: rest };
      });
      const isolated = jest.requireActual<typeof import('../../src/context')>('../../src/context');
      expect(() => isolated.createContext(contextOptions())).toThrow(/transaction types: escalation\.$/);
    });
    jest.dontMock('../../src/features/helpdesk/helpdesk-completions');
  });
});

describe('the lifecycle, as the registry declares', () => {
  let context: AppContext;
  let companyId: number;
  beforeEach(() => {
    context = createContext(contextOptions());
    companyId = context.db.run("INSERT INTO companies (name, program_number, max_card_limit_cents) VALUES ('Acme', 'P-1', 5000000)").lastId;
  });
  afterEach(() => closeContext(context));

  const request = (type: TransactionType): NewTransaction => ({ companyId, type, submittedBy: 'staff:1', submittedByPaId: null, summary: `A ${type}` });
  const submitted = (id: number) => ({
    row: context.db.get('SELECT status, next_due_at FROM transactions WHERE id = ?', id),
    events: context.db.all<{ status: string }>('SELECT status FROM transaction_events WHERE transaction_id = ? ORDER BY id', id).map((e) => e.status),
  });

  it('records an instant type completed at once, a manual one waiting for a person, a handled one due in an hour', () => {
    const now = context.clock.nowMs();
    const [instant, manual, handled] = context.db.tx(() => (['unlock', 'escalation', 'card_application'] as const).map((type) => submitTransaction(context, request(type), now).id));
    expect(submitted(instant!)).toEqual({ row: { status: 'completed', next_due_at: null }, events: ['submitted', 'completed'] });
    expect(submitted(manual!)).toEqual({ row: { status: 'submitted', next_due_at: null }, events: ['submitted'] });
    expect(submitted(handled!)).toEqual({ row: { status: 'submitted', next_due_at: now + PICKUP_DELAY_MS }, events: ['submitted'] });
  });

  it('refuses to submit a type its registry does not declare', () => {
    const cardsOnly = { db: context.db, transactions: new TransactionRegistry().declareAll(CARD_TRANSACTION_COMPLETIONS) };
    expect(() => context.db.tx(() => submitTransaction(cardsOnly, request('unlock'), context.clock.nowMs())))
      .toThrow('Nothing declares what completes transactions of type unlock.');
    expect(context.db.get('SELECT count(*) AS n FROM transactions')).toEqual({ n: 0 });
  });

  it('never completes, with no effect, a due transaction of a type the clock does not move', () => {
    const now = context.clock.nowMs();
    const { id } = context.db.tx(() => submitTransaction(context, request('unlock'), now));
    context.db.run("UPDATE transactions SET status = 'submitted', next_due_at = ? WHERE id = ?", now, id);
    expect(() => progressDueTransactions(context, now)).toThrow(/is due, but its type unlock is instant: the clock does not move it\./);
    expect(context.db.get('SELECT status FROM transactions WHERE id = ?', id)).toEqual({ status: 'submitted' });
  });
});
