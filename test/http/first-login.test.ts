import request from 'supertest';
import { enrollProgramAdministrator } from '../../src/features/accounts/enrollment.service';
import { completeFirstLogin, verifyFirstLogin } from '../../src/features/accounts/registration.service';
import { auditActions, persona, submitLogin } from '../helpers/actors';
import { csrfTokenFrom, csrfTokenIn, type Agent } from '../helpers/pages';
import { DAY_MS, createTestApp, type TestApp } from '../helpers/test-app';

let t: TestApp;
beforeEach(async () => { t = await createTestApp({ env: { AUTH_RATE_LIMIT_PER_MINUTE: '10000' } }); });
afterEach(() => t.close());

const pending = persona('globex.pending');
const NEW_PASSWORD = 'Brand-New-Ledger-77';

function welcomeFor(email: string) {
  const mail = t.context.outbox.list({ to: email, type: 'welcome' }).at(-1);
  if (!mail) throw new Error(`no Welcome e-mail to ${email}`);
  return mail;
}

async function submitProof(agent: Agent, proof: Partial<Record<'verificationPin' | 'verificationWord' | 'accessCode', string>>) {
  const token = await csrfTokenFrom(agent, '/register');
  return agent.post('/register').type('form').send({ _csrf: token, ...proof });
}

async function chooseCredentials(agent: Agent, userId: string, password = NEW_PASSWORD, confirmPassword = password) {
  const token = await csrfTokenFrom(agent, '/register');
  return agent.post('/register').type('form').send({ _csrf: token, userId, password, confirmPassword });
}

const rightProof = () => ({
  verificationPin: pending.verificationPin,
  verificationWord: pending.verificationWord,
  accessCode: String(welcomeFor(pending.email).data.accessCode),
});

describe('enrollment', () => {
  it('sends a Welcome e-mail with the access code in its text, its HTML and its parsed data', async () => {
    const company = t.context.db.get<{ id: number }>("SELECT id FROM companies WHERE name = 'Globex Corporation'")!;
    const enrollment = await enrollProgramAdministrator(t.context, {
      companyId: company.id, firstName: 'Nia', lastName: 'New', email: 'nia.new@globex.example',
      permissions: ['cards.view'], primary: false,
    }, { actor: 'simulator', baseUrl: 'http://127.0.0.1:3000' });

    expect(enrollment.verificationPin).toMatch(/^\d{4}$/);
    expect(enrollment.verificationWord).toMatch(/^[a-z]+$/);
    const mail = welcomeFor('nia.new@globex.example');
    expect(mail.subject).toMatch(/Welcome/);
    expect(mail.text).toContain(enrollment.accessCode);
    expect(mail.html).toContain(enrollment.accessCode);
    expect(mail.data).toMatchObject({ accessCode: enrollment.accessCode, registerUrl: 'http://127.0.0.1:3000/register' });
  });

  it('keeps the PIN, word and access code only as hashes', async () => {
    const code = String(welcomeFor(pending.email).data.accessCode);
    const everything = JSON.stringify([
      t.context.db.all('SELECT * FROM program_administrators'), t.context.db.all('SELECT * FROM access_codes'),
    ]);
    expect(everything).not.toContain(code.replace(/-/g, '').slice(4));
    expect(everything).not.toContain(`"${pending.verificationPin}"`);
    expect(everything).not.toContain(pending.verificationWord);
  });
});

describe('first login (/register)', () => {
  it('takes the PIN, word and access code, then a user ID and password, and signs the PA in', async () => {
    const agent = request.agent(t.app);
    const proof = await submitProof(agent, rightProof());
    expect(proof.status).toBe(303);
    const step2 = await agent.get('/register').expect(200);
    expect(step2.text).toContain('name="confirmPassword"');

    const done = await chooseCredentials(agent, 'penny.newman');
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe('/home');
    const home = await agent.get('/home').expect(200);
    expect(home.text).toContain('Welcome, Penny');
    expect(home.text).toContain('Your User ID is penny.newman');

    const row = t.context.db.get<{ state: string; registered_at: number }>("SELECT state, registered_at FROM program_administrators WHERE user_id = 'penny.newman'");
    expect(row).toEqual({ state: 'active', registered_at: t.context.clock.nowMs() });
    await submitLogin(request.agent(t.app), 'penny.newman', NEW_PASSWORD).then((res) => expect(res.status).toBe(303));
  });

  it('accepts all six fields in one POST, and the access code in any case and spacing', async () => {
    const agent = request.agent(t.app);
    const token = await csrfTokenFrom(agent, '/register');
    const code = rightProof().accessCode.toLowerCase().replace(/-/g, ' ');
    const res = await agent.post('/register').type('form').send({
      _csrf: token, ...rightProof(), accessCode: code, verificationWord: ` ${pending.verificationWord.toUpperCase()} `,
      userId: 'globex.pending', password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD,
    });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/home');
  });

  it('lets an access code work once, never twice', async () => {
    const first = request.agent(t.app);
    await submitProof(first, rightProof());
    await chooseCredentials(first, 'penny.newman').then((res) => expect(res.status).toBe(303));

    const second = request.agent(t.app);
    const again = await submitProof(second, rightProof());
    expect(again.status).toBe(401);
    expect(again.text).toContain('data-error-code="verification_failed"');
  });

  it('lets only one of two simultaneous completions use the code', async () => {
    const [a, b] = [request.agent(t.app), request.agent(t.app)];
    await submitProof(a, rightProof()).then((res) => expect(res.status).toBe(303));
    await submitProof(b, rightProof()).then((res) => expect(res.status).toBe(303));
    const [tokenA, tokenB] = [csrfTokenIn((await a.get('/register')).text), csrfTokenIn((await b.get('/register')).text)];
    const answers = await Promise.all([
      a.post('/register').type('form').send({ _csrf: tokenA, userId: 'penny.one', password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }),
      b.post('/register').type('form').send({ _csrf: tokenB, userId: 'penny.two', password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }),
    ]);
    expect(answers.map((res) => res.status).sort()).toEqual([303, 409]);
    expect(t.context.db.get<{ n: number }>("SELECT count(*) AS n FROM program_administrators WHERE user_id IN ('penny.one', 'penny.two')")!.n).toBe(1);
    expect(t.context.db.get<{ n: number }>('SELECT count(*) AS n FROM access_codes WHERE used_at IS NOT NULL')!.n).toBe(1);
  });

  it('consumes the code with a conditional write even when called twice at once in the service', async () => {
    const verdict = await verifyFirstLogin(t.context, rightProof(), null);
    if (!verdict.ok) throw new Error('verification failed');
    const results = await Promise.all([
      completeFirstLogin(t.context, verdict.verified, { userId: 'racer.one', password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }, null),
      completeFirstLogin(t.context, verdict.verified, { userId: 'racer.two', password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }, null),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
  });

  it('refuses the code after 30 days', async () => {
    t.context.clock.advanceBy(30 * DAY_MS);
    const res = await submitProof(request.agent(t.app), rightProof());
    expect(res.status).toBe(401);
    expect(res.text).toContain('data-error-code="verification_failed"');
  });

  it('works on day 29', async () => {
    t.context.clock.advanceBy(29 * DAY_MS);
    await submitProof(request.agent(t.app), rightProof()).then((res) => expect(res.status).toBe(303));
  });

  it('answers a wrong PIN, word or code with the same non-revealing message', async () => {
    const wrongs = [
      { ...rightProof(), verificationPin: '0000' },
      { ...rightProof(), verificationWord: 'nope' },
      { ...rightProof(), accessCode: 'GPND-2222-2222' },
      { ...rightProof(), accessCode: 'ZZZZ-2222-2222' },
    ];
    const bodies = [];
    for (const wrong of wrongs) {
      const res = await submitProof(request.agent(t.app), wrong);
      expect(res.status).toBe(401);
      bodies.push(res.text.replace(/name="_csrf" value="[^"]+"/, '').replace(/value="[^"]*"/g, ''));
    }
    expect(new Set(bodies).size).toBe(1);
    expect(bodies[0]).toContain('do not match our records');
  });

  it('voids the code after five wrong tries', async () => {
    for (let i = 0; i < 5; i += 1) {
      await submitProof(request.agent(t.app), { ...rightProof(), verificationPin: '0000' });
    }
    const res = await submitProof(request.agent(t.app), rightProof());
    expect(res.status).toBe(401);
    expect(t.context.db.get('SELECT voided_at FROM access_codes')).toEqual({ voided_at: expect.any(Number) });
    const paId = t.context.db.get<{ id: number }>("SELECT id FROM program_administrators WHERE persona_key = 'globex.pending'")!.id;
    expect(auditActions(t, `pa:${paId}`)).toContain('access_code.voided:success');
  });

  it('says which field is missing', async () => {
    const res = await submitProof(request.agent(t.app), { verificationPin: '', verificationWord: '', accessCode: '' });
    expect(res.status).toBe(400);
    for (const field of ['verificationPin', 'verificationWord', 'accessCode']) {
      expect(res.text).toContain(`data-testid="${field}-error"`);
    }
  });

  it.each([
    ['short', NEW_PASSWORD, 'userId', '6 to 32'],
    ['has spaces in it', NEW_PASSWORD, 'userId', '6 to 32'],
    ['GLOBEX.PRIMARY', NEW_PASSWORD, 'userId', 'not available'],
    ['penny.newman', 'Short-1', 'password', 'at least 12'],
    ['penny.newman', 'my-penny.newman-pass', 'password', 'User ID'],
    ['penny.newman', 'Password1234!', 'password', 'too common'],
    ['penny.newman', `${'€'.repeat(20)}abcdefghijklm`, 'password', '72 bytes'],
  ])('refuses user ID %j with password %j on the %s field', async (userId, password, field, message) => {
    const agent = request.agent(t.app);
    await submitProof(agent, rightProof());
    const res = await chooseCredentials(agent, userId, password);
    expect(res.status).toBe(400);
    expect(res.text).toContain(`data-testid="${field}-error"`);
    expect(res.text).toContain(message);
    expect(t.context.db.get<{ n: number }>('SELECT count(*) AS n FROM access_codes WHERE used_at IS NOT NULL')!.n).toBe(0);
  });

  it('reports a taken user ID together with the password problems, in one answer', async () => {
    const agent = request.agent(t.app);
    await submitProof(agent, rightProof());
    const res = await chooseCredentials(agent, 'globex.viewer', 'Short-1', 'Short-2');
    expect(res.status).toBe(400);
    expect(res.text).toContain('role="alert" data-testid="register-error"');
    expect(res.text).toMatch(/data-testid="userId-error"[^>]*>[^<]*not available/);
    expect(res.text).toMatch(/data-testid="password-error"[^>]*>[^<]*at least 12/);
    expect(res.text).toContain('data-testid="confirmPassword-error"');
  });

  it('reports a taken user ID together with a missing password', async () => {
    const agent = request.agent(t.app);
    await submitProof(agent, rightProof());
    const res = await chooseCredentials(agent, 'globex.viewer', '', '');
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/data-testid="userId-error"[^>]*>[^<]*not available/);
    expect(res.text).toMatch(/data-testid="password-error"[^>]*>[^<]*Enter your new Password/);
  });

  it('refuses mismatched confirmation', async () => {
    const agent = request.agent(t.app);
    await submitProof(agent, rightProof());
    const res = await chooseCredentials(agent, 'penny.newman', NEW_PASSWORD, `${NEW_PASSWORD}x`);
    expect(res.status).toBe(400);
    expect(res.text).toContain('data-testid="confirmPassword-error"');
  });

  it('asks for the proof again when step 2 comes without it', async () => {
    const res = await chooseCredentials(request.agent(t.app), 'penny.newman');
    expect(res.status).toBe(400);
    expect(res.text).toContain('name="verificationPin"');
  });

  it('records the verification and the registration in the audit log', async () => {
    const agent = request.agent(t.app);
    await submitProof(agent, rightProof());
    await chooseCredentials(agent, 'penny.newman');
    const paId = t.context.db.get<{ id: number }>("SELECT id FROM program_administrators WHERE user_id = 'penny.newman'")!.id;
    expect(auditActions(t, `pa:${paId}`)).toEqual(expect.arrayContaining(['registration.verified:success', 'registration.completed:success']));
  });
});
