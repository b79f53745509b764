// The client's 2-step helper against a real simulator on a port: the newest code on the PA's channel.
import request from 'supertest';
import { SimClient } from '../../client';
import { persona, submitLogin } from '../helpers/actors';
import { csrfTokenFrom } from '../helpers/pages';
import { TEST_SIM_TOKEN, createTestApp, listenOnLocalhost, MINUTE_MS, type ListeningTestApp, type TestApp } from '../helpers/test-app';

let t: TestApp;
let listening: ListeningTestApp;
let sim: SimClient;
beforeAll(async () => {
  t = await createTestApp();
  listening = await listenOnLocalhost(t);
  sim = new SimClient({ baseUrl: listening.baseUrl, token: TEST_SIM_TOKEN });
});
afterAll(async () => {
  await listening.close();
  t.close();
});

describe('SimClient.signInCode', () => {
  it('gives the newest e-mailed code, which signs the PA in', async () => {
    const agent = request.agent(t.app);
    await submitLogin(agent, 'globex.nophone', persona('globex.nophone').password);
    t.context.clock.advanceBy(MINUTE_MS);
    await agent.post('/login/verify/resend').type('form').send({ _csrf: await csrfTokenFrom(agent, '/login') }).expect(303);
    const code = await sim.signInCode({ userId: 'globex.nophone', timeoutMs: 2000 });
    expect(code).toBe(t.context.outbox.list({ type: 'two_step_code' }).at(-1)!.data.code);
    const res = await agent.post('/login/verify').type('form').send({ _csrf: await csrfTokenFrom(agent, '/login'), code });
    expect(res.headers.location).toBe('/home');
  });

  it('waits for a code that has not been sent yet', async () => {
    t.context.outbox.clear();
    const waiting = sim.signInCode({ userId: 'globex.nophone', timeoutMs: 5000 });
    await submitLogin(request.agent(t.app), 'globex.nophone', persona('globex.nophone').password);
    expect(await waiting).toMatch(/^\d{6}$/);
  });
});
