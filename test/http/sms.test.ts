// The text-message outbox through the simulator API: filters, the long poll, clearing, the
// sms_undelivered fault losing texts to one number only, and fraud notices by text.
import request from 'supertest';
import { csrfTokenFrom, testIdText } from '../helpers/pages';
import { TEST_SIM_TOKEN, createTestApp, type TestApp } from '../helpers/test-app';

let t: TestApp;
beforeEach(async () => { t = await createTestApp(); });
afterEach(() => t.close());

const api = (method: 'get' | 'post' | 'delete', url: string) => request(t.app)[method](url).set('Authorization', `Bearer ${TEST_SIM_TOKEN}`);
const fraudAlert = (userId: string) => api('post', '/sim/api/fraud-alerts').send({ userId }).expect(200);
const code = (to: string, value: string) => t.context.sms.send({ to, type: 'two_step_code', text: `Your @Work code is ${value}.`, data: { code: value } });

describe('fraud notices by text', () => {
  it('texts a PA with a phone on file when a fraud alert suspends them, beside the e-mail', async () => {
    await fraudAlert('globex.primary');
    const { messages } = (await api('get', '/sim/api/sms?to=%2B15555550101').expect(200)).body;
    expect(messages).toEqual([expect.objectContaining({ to: '+15555550101', type: 'fraud_notice', data: {}, text: expect.stringContaining('Fraud Protection') })]);
    expect(t.context.outbox.list({ type: 'fraud_alert' })).toHaveLength(1);
    expect(t.context.journal.list({ type: 'sms.sent' })).toEqual([expect.objectContaining({ subject: 'sms:+15555550101' })]);
  });

  it('sends no text to a PA without a phone on file', async () => {
    t.context.db.run("UPDATE program_administrators SET phone = NULL WHERE persona_key = 'globex.viewer'");
    await fraudAlert('globex.viewer');
    expect((await api('get', '/sim/api/sms').expect(200)).body.messages).toEqual([]);
    expect(t.context.outbox.list({ type: 'fraud_alert' })).toHaveLength(1);
  });
});

describe('GET /sim/api/sms and /sms/wait', () => {
  it('filter by number and type', async () => {
    code('+15555550101', '111111');
    code('+15555550102', '222222');
    await fraudAlert('globex.viewer');
    const list = async (query: string) => ((await api('get', `/sim/api/sms?${query}`).expect(200)).body.messages as Array<{ data: { code?: string }; type: string }>);
    expect((await list('to=%2B15555550102')).map((m) => m.type)).toEqual(['two_step_code', 'fraud_notice']);
    expect((await list('type=two_step_code')).map((m) => m.data.code)).toEqual(['111111', '222222']);
    expect((await list('to=%2B15555550102&type=two_step_code')).map((m) => m.data.code)).toEqual(['222222']);
  });

  it('answers a wait as soon as a matching text arrives, and 408 when none does', async () => {
    const waiting = api('get', '/sim/api/sms/wait?to=%2B15555550101&type=two_step_code&timeoutMs=5000');
    const answered = waiting.then((res) => res);
    await new Promise((resolve) => setTimeout(resolve, 50));
    code('+15555550102', '999999');
    code('+15555550101', '424242');
    const res = await answered;
    expect([res.status, res.body.message.data]).toEqual([200, { code: '424242' }]);
    const late = await api('get', '/sim/api/sms/wait?to=%2B15555550103&timeoutMs=30');
    expect([late.status, late.body.error.code]).toEqual([408, 'timeout']);
  });
});

describe('DELETE /sim/api/sms', () => {
  it('forgets every captured text', async () => {
    code('+15555550101', '111111');
    code('+15555550102', '222222');
    expect((await api('delete', '/sim/api/sms').expect(200)).body).toEqual({ deleted: 2 });
    expect((await api('get', '/sim/api/sms').expect(200)).body.messages).toEqual([]);
  });
});

describe('the sms_undelivered fault', () => {
  it('loses the texts to one number only, says so in the journal, and stops once cleared', async () => {
    const { fault } = (await api('post', '/sim/api/faults').send({ kind: 'sms_undelivered', phone: '+15555550101' }).expect(201)).body;
    expect(code('+15555550101', '111111')).toBeUndefined();
    expect(code('+15555550102', '222222')).toBeDefined();
    await fraudAlert('globex.primary');
    expect(((await api('get', '/sim/api/sms').expect(200)).body.messages as Array<{ to: string }>).map((m) => m.to)).toEqual(['+15555550102']);
    expect((await api('get', '/sim/api/events?type=sms.undelivered').expect(200)).body.events.map((e: { data: unknown }) => e.data)).toEqual([
      { smsType: 'two_step_code', to: '+15555550101', faultId: fault.id }, { smsType: 'fraud_notice', to: '+15555550101', faultId: fault.id },
    ]);
    expect((await api('get', '/sim/api/faults').expect(200)).body.faults).toEqual([{ ...fault, hits: 2 }]);
    await api('delete', `/sim/api/faults/${fault.id}`).expect(200);
    expect(code('+15555550101', '333333')).toMatchObject({ to: '+15555550101' });
  });

  it('refuses a number not in E.164, and keeps route faults as they were', async () => {
    const bad = await api('post', '/sim/api/faults').send({ kind: 'sms_undelivered', phone: '555-0101' }).expect(400);
    expect(bad.body.error).toMatchObject({ code: 'invalid_input', fields: { phone: expect.any(String) } });
    const route = (await api('post', '/sim/api/faults').send({ pattern: '/help', status: 503 }).expect(201)).body.fault;
    expect(route).toEqual({ id: expect.any(String), kind: 'route', pattern: '/help', status: 503, probability: 1, hits: 0 });
  });
});

describe('the console faults page', () => {
  it('lists an sms_undelivered fault by the number whose texts it loses', async () => {
    t.context.faults.add({ kind: 'sms_undelivered', phone: '+15555550101', times: 2 });
    const agent = request.agent(t.app);
    const token = await csrfTokenFrom(agent, '/sim/login');
    await agent.post('/sim/login').type('form').send({ _csrf: token, token: TEST_SIM_TOKEN }).expect(303);
    const page = await agent.get('/sim/faults').expect(200);
    expect(testIdText(page.text, 'fault-pattern')).toBe('texts to +15555550101');
    expect(testIdText(page.text, 'fault-status')).toBe('text lost');
  });
});
