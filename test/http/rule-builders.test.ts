// The rule builders (issue 18), end to end through the portal: approval rules a script sets change
// what the next request does, and a subscription a script makes is delivered as the clock passes it.
import request from 'supertest';
import { auditActions, cardId, persona, signedInAs, submitWithReview } from '../helpers/actors';
import { TEST_SIM_TOKEN, createTestApp, type TestApp } from '../helpers/test-app';

let t: TestApp;
beforeEach(async () => { t = await createTestApp({ env: { AUTH_RATE_LIMIT_PER_MINUTE: '10000' } }); });
afterEach(() => t.close());

const api = (url: string) => request(t.app).post(url).set('Authorization', `Bearer ${TEST_SIM_TOKEN}`);
const HELD_PATH = /^\/approvals\/AW\d{10}\?held=1$/;

describe('POST /sim/api/companies/:company/approval-rules', () => {
  it('holds a Globex limit change above the threshold it sets, and submits it again once the rules are cleared', async () => {
    const set = await api('/sim/api/companies/globex%20corporation/approval-rules').send({ holdLimitChangesAboveCents: 100_000 }).expect(200);
    expect(set.body).toEqual({
      company: 'Globex Corporation',
      approvalRules: { applications: false, secondApproverAboveCents: null, holdLimitChangesAboveCents: 100_000, holdCancellationsByNonPrimary: false },
    });
    expect(auditActions(t)).toContain('simulator.approval_rules_set:success');
    const primary = await signedInAs(t, 'globex.primary');
    const card = cardId(t, 'Ben Baker');
    const held = await submitWithReview(primary, `/cards/${card}/limit`, { limitType: 'permanent', newLimit: '2000', endDate: '' });
    expect([held.status, held.headers.location]).toEqual([303, expect.stringMatching(HELD_PATH)]);

    // Absent is off: the same kind of change goes straight to the back office.
    expect((await api('/sim/api/companies/Globex%20Corporation/approval-rules').send({}).expect(200)).body.approvalRules.holdLimitChangesAboveCents).toBeNull();
    const submitted = await submitWithReview(primary, `/cards/${cardId(t, 'Iris Ito')}/limit`, { limitType: 'permanent', newLimit: '2000', endDate: '' });
    expect(submitted.status).toBe(303);
    expect(submitted.headers.location).not.toMatch(HELD_PATH);
    expect(t.context.db.all("SELECT type, status FROM transactions WHERE card_id = ? AND type IN ('limit_change', 'held_change')", cardId(t, 'Iris Ito')))
      .toEqual([{ type: 'limit_change', status: 'submitted' }]);
  });

  it('refuses bad rules with 400 invalid_input and an unknown company with 404', async () => {
    const refused = (await api('/sim/api/companies/Globex%20Corporation/approval-rules').send({ holdLimitChangesAboveCents: -5 }).expect(400)).body.error;
    expect([refused.code, Object.keys(refused.fields)]).toEqual(['invalid_input', ['holdLimitChangesAboveCents']]);
    expect((await api('/sim/api/companies/Hooli/approval-rules').send({}).expect(404)).body.error.code).toBe('not_found');
  });
});

describe('POST /sim/api/report-subscriptions', () => {
  it('makes a subscription that the clock delivers as a scheduled_report e-mail once it passes nextDueAt', async () => {
    const made = (await api('/sim/api/report-subscriptions').send({ userId: 'globex.primary', report: 'declines', frequency: 'daily', account: 'glx-e' }).expect(201)).body;
    expect(made).toMatchObject({ userId: 'globex.primary', report: 'declines', frequency: 'daily', filters: { account: 'GLX-E' }, lastDeliveredAt: null });
    const due = Date.parse(made.nextDueAt);
    expect(due).toBeGreaterThan(t.context.clock.nowMs());
    expect(t.context.outbox.list({ type: 'scheduled_report' })).toEqual([]);
    await api('/sim/api/clock').send({ set: new Date(due + 60_000).toISOString() }).expect(200);
    const [mail, ...more] = t.context.outbox.list({ type: 'scheduled_report' });
    expect(more).toEqual([]);
    expect(mail).toMatchObject({ to: persona('globex.primary').email, data: { subscriptionId: made.id, report: 'declines', filters: { account: 'GLX-E' } } });
  });

  it('refuses what the Reports page refuses: 400 for a bad report or an account outside the company, 404 for an unknown user', async () => {
    const bad = async (body: Record<string, unknown>) => (await api('/sim/api/report-subscriptions').send(body).expect(400)).body.error;
    expect(await bad({ userId: 'globex.primary', report: 'payments', frequency: 'daily' })).toMatchObject({ code: 'invalid_input', fields: { report: 'Choose a report from the list.' } });
    expect(await bad({ userId: 'globex.primary', report: 'declines', frequency: 'daily', account: 'INI-01' }))
      .toMatchObject({ code: 'invalid_input', fields: { account: 'Choose a control account from the list.' } });
    expect((await api('/sim/api/report-subscriptions').send({ userId: 'nobody', report: 'spend', frequency: 'daily' }).expect(404)).body.error.code).toBe('not_found');
    expect(t.context.db.get<{ n: number }>('SELECT count(*) AS n FROM report_subscriptions')!.n).toBe(0);
  });
});
