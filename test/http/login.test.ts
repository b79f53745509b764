import request from 'supertest';
import { auditActions, paRow, persona, signedInAs, submitLogin, withoutToken } from '../helpers/actors';
import { TEST_SIM_TOKEN, DAY_MS, MINUTE_MS, createTestApp, type TestApp } from '../helpers/test-app';

let t: TestApp;
beforeEach(async () => { t = await createTestApp({ env: { AUTH_RATE_LIMIT_PER_MINUTE: '10000' } }); });
afterEach(() => t.close());

const primary = persona('globex.primary');
const advanceViaSimulator = (advance: string) =>
  request(t.app).post('/sim/api/clock').set('Authorization', `Bearer ${TEST_SIM_TOKEN}`).send({ advance }).expect(200);

describe('POST /login', () => {
  it('signs an active PA in with a new session ID and records the login', async () => {
    const agent = request.agent(t.app);
    const before = await agent.get('/login');
    const anonymousCookie = before.headers['set-cookie']?.[0]?.split(';')[0];
    t.context.clock.advanceBy(5 * MINUTE_MS);

    const res = await submitLogin(agent, 'globex.primary', primary.password);

    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/home');
    const signedInCookie = res.headers['set-cookie']?.[0]?.split(';')[0];
    expect(signedInCookie).toBeDefined();
    expect(signedInCookie).not.toBe(anonymousCookie);
    expect(paRow(t, 'globex.primary').last_login_at).toBe(t.context.clock.nowMs());
    const home = await agent.get('/home').expect(200);
    expect(home.text).toContain('Welcome, Hank');
    expect(auditActions(t, `pa:${paRow(t, 'globex.primary').id}`)).toContain('login.success:success');
  });

  it('accepts the user ID in any case', async () => {
    const res = await submitLogin(request.agent(t.app), 'GLOBEX.Primary', primary.password);
    expect(res.status).toBe(303);
  });

  it('answers an unknown user and a wrong password with the identical page', async () => {
    const unknown = await submitLogin(request.agent(t.app), 'nobody.here', 'Whatever-Password-1');
    const wrong = await submitLogin(request.agent(t.app), 'nobody.here', 'Whatever-Password-1');
    const wrongPassword = await submitLogin(request.agent(t.app), 'globex.viewer', 'Whatever-Password-1');
    expect(unknown.status).toBe(401);
    expect(wrongPassword.status).toBe(401);
    expect(withoutToken(wrongPassword.text).replace('globex.viewer', 'nobody.here')).toBe(withoutToken(wrong.text));
    expect(unknown.text).toContain('data-error-code="invalid_credentials"');
  });

  it.each(['globex.locked', 'globex.inactive', 'globex.suspended'])(
    'answers a wrong password for %s exactly like an unknown user', async (userId) => {
      const wrong = await submitLogin(request.agent(t.app), userId, 'Not-The-Password-1');
      const unknown = await submitLogin(request.agent(t.app), userId.replace('globex', 'nosuch'), 'Not-The-Password-1');
      expect(wrong.status).toBe(401);
      expect(withoutToken(wrong.text).replace(userId, 'X')).toBe(withoutToken(unknown.text).replace(userId.replace('globex', 'nosuch'), 'X'));
    });

  it('spends about as long on an unknown user as on a wrong password', async () => {
    const slow = await createTestApp({ env: { BCRYPT_COST: '10', AUTH_RATE_LIMIT_PER_MINUTE: '10000' } });
    try {
      const time = async (userId: string) => {
        const agent = request.agent(slow.app);
        await agent.get('/login');
        const started = process.hrtime.bigint();
        await submitLogin(agent, userId, 'Not-The-Password-1');
        return Number(process.hrtime.bigint() - started) / 1e6;
      };
      await time('globex.viewer'); // warm the stand-in hash
      // Interleaved samples and medians, so a busy machine slows both sides alike.
      const unknown: number[] = [];
      const known: number[] = [];
      for (let i = 0; i < 5; i += 1) {
        unknown.push(await time(`nobody.${i}`));
        known.push(await time(i % 2 === 0 ? 'globex.viewer' : 'globex.canceller'));
      }
      const median = (values: number[]) => [...values].sort((a, b) => a - b)[2]!;
      expect(median(unknown) / median(known)).toBeGreaterThan(0.5);
      expect(median(unknown) / median(known)).toBeLessThan(2);
    } finally {
      slow.close();
    }
  });

  it.each([
    ['globex.inactive', 'account_inactive', /inactive[\s\S]*800-633-6973/],
    ['globex.locked', 'account_locked', /locked[\s\S]*800-633-6973/],
    ['globex.suspended', 'account_restricted', /restricted[\s\S]*Fraud Protection line at 800-555-0134/],
  ])('tells %s with the right password why not, and whom to call', async (userId, code, message) => {
    const res = await submitLogin(request.agent(t.app), userId, persona(userId).password);
    expect(res.status).toBe(401);
    expect(res.text).toContain(`data-error-code="${code}"`);
    expect(res.text).toMatch(message);
  });
});

describe('lockout', () => {
  it('locks on the fifth consecutive failure and then refuses the right password with the Help Desk number', async () => {
    for (let attempt = 1; attempt <= 4; attempt += 1) {
      await submitLogin(request.agent(t.app), 'globex.viewer', `Wrong-Password-${attempt}`);
      expect(paRow(t, 'globex.viewer')).toMatchObject({ state: 'active', failed_login_count: attempt });
    }
    const fifth = await submitLogin(request.agent(t.app), 'globex.viewer', 'Wrong-Password-5');
    expect(fifth.text).toContain('data-error-code="invalid_credentials"');
    expect(paRow(t, 'globex.viewer')).toMatchObject({ state: 'locked', failed_login_count: 5 });

    const right = await submitLogin(request.agent(t.app), 'globex.viewer', persona('globex.viewer').password);
    expect(right.status).toBe(401);
    expect(right.text).toContain('data-error-code="account_locked"');
    expect(right.text).toContain('800-633-6973');
    const subject = `pa:${paRow(t, 'globex.viewer').id}`;
    expect(auditActions(t, subject).filter((a) => a === 'account.locked:success')).toHaveLength(1);
  });

  it('starts counting again after a successful login', async () => {
    for (let attempt = 1; attempt <= 4; attempt += 1) {
      await submitLogin(request.agent(t.app), 'globex.viewer', `Wrong-Password-${attempt}`);
    }
    await signedInAs(t, 'globex.viewer');
    expect(paRow(t, 'globex.viewer').failed_login_count).toBe(0);
    for (let attempt = 1; attempt <= 4; attempt += 1) {
      await submitLogin(request.agent(t.app), 'globex.viewer', `Wrong-Password-${attempt}`);
    }
    expect(paRow(t, 'globex.viewer')).toMatchObject({ state: 'active', failed_login_count: 4 });
  });

  it('counts 20 parallel wrong attempts without losing one or going past the limit', async () => {
    const agents = await Promise.all(Array.from({ length: 20 }, async () => {
      const agent = request.agent(t.app);
      await agent.get('/login');
      return agent;
    }));
    const tokens = await Promise.all(agents.map(async (agent) => /name="_csrf" value="([^"]+)"/.exec((await agent.get('/login')).text)![1]!));
    const answers = await Promise.all(agents.map((agent, i) =>
      agent.post('/login').type('form').send({ _csrf: tokens[i], userId: 'globex.canceller', password: `Wrong-Password-${i}` })));
    expect(answers.every((res) => res.status === 401)).toBe(true);
    expect(paRow(t, 'globex.canceller')).toMatchObject({ state: 'locked', failed_login_count: 5 });
    const subject = `pa:${paRow(t, 'globex.canceller').id}`;
    const actions = auditActions(t, subject);
    expect(actions.filter((a) => a === 'login.failure:failure')).toHaveLength(20);
    expect(actions.filter((a) => a === 'account.locked:success')).toHaveLength(1);
  });

  it('ends the open sessions of the account it locks', async () => {
    const victim = await signedInAs(t, 'globex.viewer');
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      await submitLogin(request.agent(t.app), 'globex.viewer', `Wrong-Password-${attempt}`);
    }
    await victim.get('/home').expect(302).expect('Location', '/login');
  });
});

describe('inactivity', () => {
  it('makes a PA inactive at login after 120 days without one', async () => {
    t.context.clock.advanceBy(120 * DAY_MS - 2 * DAY_MS); // globex.primary last logged in 2 days before the start
    const res = await submitLogin(request.agent(t.app), 'globex.primary', primary.password);
    expect(res.status).toBe(401);
    expect(res.text).toContain('data-error-code="account_inactive"');
    expect(paRow(t, 'globex.primary').state).toBe('inactive');
    expect(auditActions(t, `pa:${paRow(t, 'globex.primary').id}`)).toContain('account.deactivated:success');
  });

  it('lets a PA in after 119 days', async () => {
    t.context.clock.advanceBy(119 * DAY_MS - 2 * DAY_MS);
    await signedInAs(t, 'globex.primary');
    expect(paRow(t, 'globex.primary').state).toBe('active');
  });

  it('sweeps idle PAs when the clock moves, and ends their sessions', async () => {
    const session = await signedInAs(t, 'globex.viewer'); // login resets the viewer's 120 days
    await advanceViaSimulator('119d');
    expect(paRow(t, 'globex.viewer').state).toBe('active');
    expect(paRow(t, 'globex.primary').state).toBe('inactive'); // 2 + 119 days
    await advanceViaSimulator('1d');
    expect(paRow(t, 'globex.viewer').state).toBe('inactive');
    await session.get('/home').expect(302).expect('Location', '/login');
  });
});

describe('sessions of a signed-in PA', () => {
  it('end after 15 idle minutes', async () => {
    const agent = await signedInAs(t, 'globex.primary');
    t.context.clock.advanceBy(14 * MINUTE_MS);
    await agent.get('/home').expect(200);
    t.context.clock.advanceBy(15 * MINUTE_MS + 1);
    await agent.get('/home').expect(302).expect('Location', '/login');
    const login = await agent.get('/login').expect(200);
    expect(login.text).toContain('Your session has ended');
  });

  it('end 8 hours after sign-in however busy', async () => {
    const agent = await signedInAs(t, 'globex.primary');
    for (let i = 0; i < 34; i += 1) {
      t.context.clock.advanceBy(14 * MINUTE_MS);
      await agent.get('/home').expect(200);
    }
    t.context.clock.advanceBy(5 * MINUTE_MS);
    await agent.get('/home').expect(302).expect('Location', '/login');
  });
});

describe('POST /logout', () => {
  it('destroys the server-side session so the old cookie is worthless', async () => {
    const agent = await signedInAs(t, 'globex.primary');
    const home = await agent.get('/home').expect(200);
    const cookie = home.request.cookies;
    const token = /name="_csrf" value="([^"]+)"/.exec(home.text)![1];
    const sessionsBefore = t.context.db.get<{ n: number }>('SELECT count(*) AS n FROM sessions')!.n;

    await agent.post('/logout').type('form').send({ _csrf: token }).expect(303).expect('Location', '/login?loggedOut=1');

    expect(t.context.db.get<{ n: number }>('SELECT count(*) AS n FROM sessions')!.n).toBe(sessionsBefore - 1);
    await request(t.app).get('/home').set('Cookie', cookie).expect(302).expect('Location', '/login');
    expect(auditActions(t, `pa:${paRow(t, 'globex.primary').id}`)).toContain('logout:success');
  });

  it('needs the CSRF token', async () => {
    const agent = await signedInAs(t, 'globex.primary');
    await agent.post('/logout').type('form').send({}).expect(403);
    await agent.get('/home').expect(200);
  });
});

describe('the audit log', () => {
  it('records failures with time, actor, subject, outcome and address, and never a password', async () => {
    await submitLogin(request.agent(t.app), 'globex.viewer', 'Secret-Wrong-Password-1');
    const event = t.context.db.get<Record<string, unknown>>("SELECT * FROM audit_events WHERE action = 'login.failure' ORDER BY id DESC");
    expect(event).toMatchObject({
      at: t.context.clock.nowMs(), actor: 'anonymous', subject: `pa:${paRow(t, 'globex.viewer').id}`, outcome: 'failure',
      source_ip: expect.stringMatching(/127\.0\.0\.1|::1|::ffff:127\.0\.0\.1/),
    });
    const everything = JSON.stringify(t.context.db.all('SELECT * FROM audit_events'));
    expect(everything).not.toContain('Secret-Wrong-Password-1');
  });
});

describe('returning to the page asked for after sign-in', () => {
  async function signInFrom(agent: ReturnType<typeof request.agent>, loginUrl: string) {
    const page = await agent.get(loginUrl).expect(200);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    const returnTo = /name="returnTo" value="([^"]*)"/.exec(page.text)?.[1];
    return agent.post('/login').type('form')
      .send({ _csrf: token, userId: 'globex.primary', password: primary.password, ...(returnTo === undefined ? {} : { returnTo: returnTo.replace(/&amp;/g, '&') }) });
  }

  it('sends a deep link signed out to the login page and back to it after sign-in', async () => {
    const agent = request.agent(t.app);
    const cardId = t.context.db.get<{ id: number }>('SELECT id FROM cards ORDER BY id LIMIT 1')!.id;
    const asked = await agent.get(`/cards/${cardId}?tab=charges`).expect(302);
    expect(asked.headers.location).toBe(`/login?returnTo=${encodeURIComponent(`/cards/${cardId}?tab=charges`)}`);
    const res = await signInFrom(agent, String(asked.headers.location));
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/cards/${cardId}?tab=charges`);
    await agent.get(String(res.headers.location)).expect(200);
  });

  it('keeps the page asked for through a failed attempt', async () => {
    const agent = request.agent(t.app);
    const page = await agent.get('/login?returnTo=%2Ftransactions').expect(200);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    const wrong = await agent.post('/login').type('form').send({ _csrf: token, userId: 'globex.primary', password: 'Not-The-Password-1', returnTo: '/transactions' });
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain('name="returnTo" value="/transactions" data-testid="returnTo-input"');
  });

  it.each(['//evil.example/home', '/\\evil.example', 'https://evil.example/', '/\r\nLocation: https://evil.example', '/\t/evil.example', '/logout'])(
    'goes home instead of to %s', async (returnTo) => {
      const agent = request.agent(t.app);
      const page = await agent.get('/login').expect(200);
      const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
      const res = await agent.post('/login').type('form').send({ _csrf: token, userId: 'globex.primary', password: primary.password, returnTo });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/home');
    });

  it('offers no way back for an unsafe returnTo on the login page', async () => {
    const page = await request.agent(t.app).get('/login?returnTo=%2F%2Fevil.example').expect(200);
    expect(page.text).not.toContain('name="returnTo"');
  });

  it('does not offer a return from a form post: the post answers 401 and nothing is remembered', async () => {
    const res = await request(t.app).post('/cards/1/cancel').type('form').send({});
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.headers.location).toBeUndefined();
  });
});

describe('the sign-in page after a session timed out', () => {
  const noticeOn = async (agent: ReturnType<typeof request.agent>, url: string) => {
    const redirected = await agent.get(url).expect(302);
    const page = await agent.get(String(redirected.headers.location)).expect(200);
    return /data-testid="flash-notice">([^<]*)</.exec(page.text)?.[1];
  };

  it('says the session ended after inactivity when the clock moved 20 minutes', async () => {
    const agent = await signedInAs(t, 'globex.primary');
    await advanceViaSimulator('20m');
    expect(await noticeOn(agent, '/cards')).toBe('Your session has ended after a period of inactivity. Please log in again.');
  });

  it('says so too when the clock moved a day, past the stored session itself', async () => {
    const agent = await signedInAs(t, 'globex.primary');
    await advanceViaSimulator('1d');
    expect(await noticeOn(agent, '/cards')).toBe('Your session has ended after a period of inactivity. Please log in again.');
  });

  it('asks a stranger only to log in', async () => {
    expect(await noticeOn(request.agent(t.app), '/cards')).toBe('Please log in to continue.');
  });

  it('does not blame inactivity for a session ended on purpose (a password reset elsewhere)', async () => {
    const agent = await signedInAs(t, 'globex.primary');
    t.context.sessionStore.destroyUserSessions(`pa:${paRow(t, 'globex.primary').id}`);
    expect(await noticeOn(agent, '/cards')).toBe('Please log in to continue.');
  });
});
