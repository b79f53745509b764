// The console's text messages (/sim/sms) and its lost-texts fault: what QA sees of the 2-step codes
// and fraud notices the portal texts, and "I never got the code" made to happen from a form.
import request from 'supertest';
import { persona, submitLogin } from '../helpers/actors';
import { csrfTokenFrom, testIdText, type Agent } from '../helpers/pages';
import { consoleAgent, submitConsoleForm as submit } from '../helpers/sim-console';
import { createTestApp, type TestApp } from '../helpers/test-app';

let t: TestApp;
beforeEach(async () => { t = await createTestApp({ env: { AUTH_RATE_LIMIT_PER_MINUTE: '10000' } }); });
afterEach(() => t.close());

const texter = persona('globex.twostep');

/** globex.twostep's password step: a code is texted (unless a fault loses it). */
async function passwordStep(): Promise<Agent> {
  const agent = request.agent(t.app);
  const res = await submitLogin(agent, texter.userId, texter.password);
  expect([res.status, res.headers.location]).toEqual([303, '/login/verify']);
  return agent;
}

const rows = (html: string) => [...html.matchAll(/data-testid="sms-row" data-sms-id="(\d+)" data-type="([a-z_]+)" data-to="([^"]+)"/g)].map((m) => [m[2], m[3]]);

describe('GET /sim/sms', () => {
  it('lists the texts newest first with the sign-in code, filtered by number and type', async () => {
    await passwordStep();
    await request(t.app).post('/sim/api/fraud-alerts').set('Authorization', `Bearer ${t.context.simToken}`).send({ userId: 'globex.primary' }).expect(200);
    const agent = await consoleAgent(t.app);

    const all = await agent.get('/sim/sms').expect(200);
    expect(rows(all.text)).toEqual([['fraud_notice', '+15555550101'], ['two_step_code', texter.phone]]);
    expect(testIdText(all.text, 'sms-count')).toBe('2 text(s), newest first.');
    const code = t.context.sms.list({ type: 'two_step_code' })[0]!.data.code as string;
    expect(all.text).toContain(`data-testid="sms-code">${code}<`);

    // A number in the form a person types it, without +1, finds the same texts.
    const mine = await agent.get(`/sim/sms?to=${encodeURIComponent('555-555-0142')}`).expect(200);
    expect(rows(mine.text)).toEqual([['two_step_code', texter.phone]]);
    const notices = await agent.get('/sim/sms?type=fraud_notice').expect(200);
    expect(rows(notices.text)).toEqual([['fraud_notice', '+15555550101']]);
    const none = await agent.get('/sim/sms?to=%2B15555550199').expect(200);
    expect(testIdText(none.text, 'sms-empty')).toBe('No captured text messages match this filter.');
  });

  it('refuses an unknown type on the page, with the field marked', async () => {
    const agent = await consoleAgent(t.app);
    const res = await agent.get('/sim/sms?type=voicemail');
    expect(res.status).toBe(400);
    expect(res.text).toContain('data-testid="type-error"');
    expect(res.text).toContain('Choose two_step_code or fraud_notice.');
  });

  it('escapes a text it shows', async () => {
    t.context.sms.send({ to: '+15555550101', type: 'fraud_notice', text: '<img src=x onerror=alert(1)>' });
    const page = await (await consoleAgent(t.app)).get('/sim/sms').expect(200);
    expect(page.text).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page.text).not.toContain('<img src=x');
  });

  it('clears every text from the console, and only from the console', async () => {
    await passwordStep();
    const stranger = request.agent(t.app);
    const token = await csrfTokenFrom(stranger, '/sim/login');
    expect((await stranger.post('/sim/sms/clear').type('form').send({ _csrf: token })).status).toBe(401);
    expect(t.context.sms.list()).toHaveLength(1);

    const agent = await consoleAgent(t.app);
    const cleared = await submit(agent, '/sim/sms', '/sim/sms/clear');
    expect([cleared.status, cleared.headers.location]).toEqual([303, '/sim/sms']);
    expect(t.context.sms.list()).toEqual([]);
    const page = await agent.get('/sim/sms').expect(200);
    expect(testIdText(page.text, 'flash-notice')).toBe('Text messages cleared: 1 text(s) deleted.');
  });
});

describe('losing the texts to a number from /sim/faults', () => {
  it('makes the sign-in code vanish until the fault is cleared, then a new code arrives', async () => {
    const agent = await consoleAgent(t.app);
    const added = await submit(agent, '/sim/faults', '/sim/faults', { kind: 'sms_undelivered', phone: texter.phone!, textsLost: '' });
    expect([added.status, added.headers.location]).toEqual([303, '/sim/faults']);
    const faults = await agent.get('/sim/faults').expect(200);
    expect(testIdText(faults.text, 'fault-pattern')).toBe(`texts to ${texter.phone}`);
    expect(testIdText(faults.text, 'fault-status')).toBe('text lost');

    const browser = await passwordStep();
    const resend = async () => browser.post('/login/verify/resend').type('form').send({ _csrf: await csrfTokenFrom(browser, '/login/verify') });
    expect(t.context.sms.list()).toEqual([]);
    expect(t.context.journal.list({ type: 'sms.undelivered' })).toHaveLength(1);
    expect(testIdText((await agent.get('/sim/sms')).text, 'sms-empty')).toBe('No captured text messages.');

    const fault = t.context.faults.list()[0]!;
    expect((await submit(agent, '/sim/faults', `/sim/faults/${fault.id}/delete`)).status).toBe(303);
    t.context.clock.advanceBy(61_000);
    expect((await resend()).status).toBe(303);
    const [text] = t.context.sms.list({ to: texter.phone!, type: 'two_step_code' });
    const signedIn = await browser.post('/login/verify').type('form').send({ _csrf: await csrfTokenFrom(browser, '/login/verify'), code: text!.data.code });
    expect([signedIn.status, signedIn.headers.location]).toEqual([303, '/home']);
  });

  it('loses only as many texts as it was told to', async () => {
    const agent = await consoleAgent(t.app);
    expect((await submit(agent, '/sim/faults', '/sim/faults', { kind: 'sms_undelivered', phone: texter.phone!, textsLost: '1' })).status).toBe(303);
    await passwordStep();
    await passwordStep();
    expect(t.context.sms.list()).toHaveLength(1);
    expect(t.context.faults.list()).toEqual([]);
  });

  it('refuses a number or a count the API would refuse, with the field marked and nothing added', async () => {
    const agent = await consoleAgent(t.app);
    for (const [fields, field] of [
      [{ phone: '' }, 'phone'], [{ phone: '555-0142' }, 'phone'], [{ phone: '+15555550142', textsLost: '0' }, 'textsLost'],
      [{ phone: '+15555550142', textsLost: 'many' }, 'textsLost'],
    ] as const) {
      const res = await submit(agent, '/sim/faults', '/sim/faults', { kind: 'sms_undelivered', ...fields });
      expect([fields, res.status, res.text.includes(`data-testid="${field}-error"`)]).toEqual([fields, 400, true]);
      expect(res.text).toContain(`value="${fields.phone}"`);
    }
    expect(t.context.faults.list()).toEqual([]);
  });
});

describe('the personas page', () => {
  it('shows each PA\'s phone and how their 2-step codes come', async () => {
    const page = await (await consoleAgent(t.app)).get('/sim/personas').expect(200);
    const row = (userId: string) => new RegExp(`data-user-id="${userId.replace('.', '\\.')}"[\\s\\S]*?</tr>`).exec(page.text)![0];
    expect(testIdText(row('globex.twostep'), 'persona-phone')).toBe(texter.phone);
    expect(testIdText(row('globex.twostep'), 'persona-two-step')).toBe('by text');
    expect(testIdText(row('globex.nophone'), 'persona-phone')).toBe('');
    expect(testIdText(row('globex.nophone'), 'persona-two-step')).toBe('by e-mail');
    expect(testIdText(row('globex.primary'), 'persona-two-step')).toBe('');
  });
});
