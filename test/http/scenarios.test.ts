// Scenario documents loaded by a script: usable by reset and new sandboxes like a built-in one, kept
// across restarts, refused whole when any part is wrong, and never taking a built-in name.
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { MAX_LOADED_SCENARIOS, ScenarioCatalog } from '../../src/features/scenarios/scenario-catalog';
import { formatTrackingNumber } from '../../src/lib/tracking-number';
import { TEST_SIM_TOKEN, createTestApp, temporaryDirectory, type TestApp } from '../helpers/test-app';

jest.setTimeout(30_000);

const HAND_WRITTEN = {
  name: 'hand_written',
  description: 'Written by hand in a test.',
  clockStart: '2026-06-01T12:00:00.000Z',
  companies: [{ key: 'acme', name: 'Acme Rockets', programNumber: 'ACM-100-0001', maxCardLimitCents: 2_000_000 }],
  programAdministrators: [
    {
      userId: 'acme.admin', company: 'acme', firstName: 'Ada', lastName: 'Ames', email: 'ada@acme.example', phone: '+15555550131', primary: true,
      state: 'active', permissions: ['cards.view', 'cards.cancel', 'transactions.view_all'], password: 'Rocket-Garden-2026', verificationPin: '2468',
      verificationWord: 'anvil', lastLoginDaysAgo: 3,
    },
    {
      userId: 'acme.new', company: 'acme', firstName: 'Ned', lastName: 'New', email: 'ned@acme.example', phone: '+15555550132', primary: false,
      state: 'pending', permissions: ['cards.view'], password: 'Unused-Until-Registered-1', verificationPin: '1357', verificationWord: 'comet', accessCode: 'ACME-7K3M-Q9RT',
    },
  ],
  staff: [{ staffId: 'agent.amy', name: 'Amy Agent', email: 'amy@helpdesk.example', role: 'agent', password: 'Headset-Rocket-2026' }],
  cards: [
    { key: 'a-lost', company: 'acme', cardmemberName: 'Lia Lost', tier: 'premium', state: 'lost_stolen', limitDollars: 8_000, openedDaysAgo: 400, charges: [
      { merchant: 'Moon Diner', dollars: 42.5, daysAgo: 9 }, { merchant: 'Star Shop', dollars: 999, daysAgo: 2, declined: 'Card reported lost' },
    ] },
    { key: 'a-temp', company: 'acme', cardmemberName: 'Tom Temp', tier: 'business', state: 'active', limitDollars: 5_000,
      temporaryLimit: { dollars: 9_000, endsInDays: 10 }, openedDaysAgo: 100, charges: [] },
    { key: 'a-gone', company: 'acme', cardmemberName: 'Cat Closed', tier: 'standard', state: 'cancelled', limitDollars: 1_000, openedDaysAgo: 900, charges: [] },
  ],
  transactions: [
    {
      trackingNumber: 'AW3002000010', company: 'acme', type: 'card_cancel', status: 'completed', submittedBy: 'acme.admin', card: 'a-gone',
      summary: 'Cancel card ending 00000', events: [
        { minutesAgo: 3_000, status: 'submitted', actor: 'acme.admin' }, { minutesAgo: 2_940, status: 'in_progress', actor: 'system', note: 'Picked up for processing.' },
        { minutesAgo: 1_500, status: 'completed', actor: 'system' },
      ],
    },
    {
      company: 'acme', type: 'limit_change', status: 'rejected', submittedBy: 'acme.admin', card: 'a-temp', summary: 'Raise the limit', rejectionReason: 'Over the company maximum.',
      events: [{ minutesAgo: 600, status: 'submitted', actor: 'acme.admin' }, { minutesAgo: 10, status: 'rejected', actor: 'staff:agent.amy', note: 'Over the company maximum.' }],
    },
  ],
};

const api = (t: TestApp, method: 'get' | 'post', url: string, sandbox?: string) => {
  const req = request(t.app)[method](url).set('Authorization', `Bearer ${TEST_SIM_TOKEN}`);
  return sandbox ? req.set('X-Sim-Sandbox', sandbox) : req;
};

describe('POST /sim/api/scenarios', () => {
  let data: { dir: string; remove(): void };
  let t: TestApp;
  beforeAll(async () => {
    data = temporaryDirectory();
    t = await createTestApp({ dataDir: data.dir });
  });
  afterAll(() => {
    t.close();
    data.remove();
  });

  it('loads a document that reset and a new sandbox then take by name, with every state it holds', async () => {
    expect((await api(t, 'post', '/sim/api/scenarios').send(HAND_WRITTEN).expect(201)).body).toEqual({ name: 'hand_written', replaced: false });
    const reset = (await api(t, 'post', '/sim/api/reset').send({ scenario: 'hand_written' }).expect(200)).body;
    expect(reset.personas.map((p: { userId: string }) => p.userId)).toEqual(['acme.admin', 'acme.new', 'agent.amy']);
    expect((await api(t, 'get', '/sim/api/clock').expect(200)).body.now).toBe('2026-06-01T12:00:00.000Z');
    const { db } = t.context;
    expect(db.all('SELECT state, limit_cents, temp_limit_cents FROM cards ORDER BY id')).toEqual([
      { state: 'lost_stolen', limit_cents: 800_000, temp_limit_cents: null },
      { state: 'active', limit_cents: 500_000, temp_limit_cents: 900_000 },
      { state: 'cancelled', limit_cents: 100_000, temp_limit_cents: null },
    ]);
    expect(db.all('SELECT tracking_number, status, rejection_reason FROM transactions ORDER BY id')).toEqual([
      { tracking_number: 'AW3002000010', status: 'completed', rejection_reason: null },
      { tracking_number: formatTrackingNumber(300_200_002), status: 'rejected', rejection_reason: 'Over the company maximum.' },
    ]);
    expect(db.all("SELECT e.status, e.actor FROM transaction_events e JOIN transactions t ON t.id = e.transaction_id WHERE t.status = 'rejected' ORDER BY e.id"))
      .toEqual([{ status: 'submitted', actor: expect.stringMatching(/^pa:\d+$/) }, { status: 'rejected', actor: expect.stringMatching(/^staff:\d+$/) }]);

    const sandbox = (await api(t, 'post', '/sim/api/sandboxes').send({ scenario: 'hand_written' }).expect(201)).body;
    expect(sandbox.scenario).toBe('hand_written');
    expect((await api(t, 'get', '/sim/api/personas', sandbox.id).expect(200)).body.personas).toHaveLength(3);
  });

  it('refuses a document with every problem by its JSON path, and loads nothing of it', async () => {
    const bad = {
      ...HAND_WRITTEN, name: 'half_bad',
      cards: [...HAND_WRITTEN.cards, { ...HAND_WRITTEN.cards[2], key: 'a-other', company: 'globex' }],
      transactions: [{ ...HAND_WRITTEN.transactions[0], card: 'nowhere' }],
    };
    const refused = (await api(t, 'post', '/sim/api/scenarios').send(bad).expect(400)).body.error;
    expect(refused.code).toBe('invalid_scenario');
    expect(refused.fields).toEqual({ 'cards[3].company': 'No company has the key "globex".', 'transactions[0].card': 'No card has the key "nowhere".' });
    expect((await api(t, 'post', '/sim/api/reset').send({ scenario: 'half_bad' }).expect(400)).body.error.code).toBe('unknown_scenario');
    expect(fs.existsSync(path.join(data.dir, 'scenarios', 'half_bad.json'))).toBe(false);
  });

  it('never replaces a built-in scenario', async () => {
    for (const name of ['default', 'empty', 'large']) {
      expect((await api(t, 'post', '/sim/api/scenarios').send({ ...HAND_WRITTEN, name }).expect(409)).body.error.code).toBe('built_in_scenario');
    }
  });

  it('keeps loaded scenarios across a restart, in DATA_DIR', async () => {
    const restarted = await createTestApp({ dataDir: data.dir, scenario: 'none' });
    try {
      expect((await api(restarted, 'post', '/sim/api/reset').send({ scenario: 'hand_written' }).expect(200)).body.personas).toHaveLength(3);
    } finally {
      restarted.close();
    }
  });
});

describe('GET /sim/api/scenario', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const exported = async (name?: string) => (await api(t, 'get', `/sim/api/scenario${name ? `?name=${name}` : ''}`).expect(200)).body as Record<string, unknown>;
  const roundTrip = async (document: unknown, first: string, second: string) => {
    await api(t, 'post', '/sim/api/scenarios').send({ ...(document as object), name: first }).expect(201);
    await api(t, 'post', '/sim/api/reset').send({ scenario: first }).expect(200);
    const once = await exported(second);
    await api(t, 'post', '/sim/api/scenarios').send(once).expect(201);
    await api(t, 'post', '/sim/api/reset').send({ scenario: second }).expect(200);
    return { once, twice: await exported(second) };
  };

  it('gives a hand-written scenario back the same after export, load and export again', async () => {
    const { once, twice } = await roundTrip(HAND_WRITTEN, 'by_hand', 'by_hand_again');
    expect(twice).toEqual(once);
    expect(once).toMatchObject({ name: 'by_hand_again', clockStart: '2026-06-01T12:00:00.000Z' });
    expect((once.cards as Array<{ state: string }>).map((card) => card.state)).toEqual(['lost_stolen', 'active', 'cancelled']);
    expect((once.programAdministrators as Array<{ password: string }>).map((pa) => pa.password)).toEqual(['Rocket-Garden-2026', 'Unused-Until-Registered-1']);
  });

  it('gives the state reached by hand in the default scenario back the same, times relative to the clock', async () => {
    await api(t, 'post', '/sim/api/reset').send({ scenario: 'default' }).expect(200);
    await api(t, 'post', '/sim/api/clock').send({ advance: '3d' }).expect(200);
    await api(t, 'post', '/sim/api/fraud-alerts').send({ userId: 'globex.viewer' }).expect(200);
    const state = await exported('from_default');
    expect(state.clockStart).toBe((await api(t, 'get', '/sim/api/clock').expect(200)).body.now);
    const { once, twice } = await roundTrip(state, 'from_default', 'from_default_again');
    expect(twice).toEqual(once);
    const viewer = (once.programAdministrators as Array<{ userId: string; state: string; password: string }>).find((pa) => pa.userId === 'globex.viewer')!;
    expect(viewer).toMatchObject({ state: 'suspended', password: 'Quiet-Window-2026' });
    expect((once.transactions as unknown[]).length).toBeGreaterThan(5);
  });

  it('writes a phone on file as the E.164 number texts go to, and none when there is none; the personas answer says the same', async () => {
    await api(t, 'post', '/sim/api/scenarios').send({ ...HAND_WRITTEN, name: 'phones' }).expect(201);
    await api(t, 'post', '/sim/api/reset').send({ scenario: 'phones' }).expect(200);
    const phoneOf = (userId: string) => t.context.db.get<{ phone: string | null }>('SELECT phone FROM program_administrators WHERE persona_key = ?', userId)!.phone;
    expect([phoneOf('acme.admin'), phoneOf('acme.new')]).toEqual(['+15555550131', '+15555550132']);
    // As the help desk may write them: for people to read, or none.
    t.context.db.run("UPDATE program_administrators SET phone = '(555) 555-0199' WHERE persona_key = 'acme.admin'");
    t.context.db.run("UPDATE program_administrators SET phone = NULL WHERE persona_key = 'acme.new'");
    const pas = (await exported('phones_again')).programAdministrators as Array<{ userId: string; phone?: string }>;
    expect(pas.find((pa) => pa.userId === 'acme.admin')!.phone).toBe('+15555550199');
    expect(pas.find((pa) => pa.userId === 'acme.new')).not.toHaveProperty('phone');
    const personas = (await api(t, 'get', '/sim/api/personas').expect(200)).body.personas as Array<{ userId: string; phone: string | null }>;
    expect(personas.map((p) => [p.userId, p.phone])).toEqual([['acme.admin', '+15555550199'], ['acme.new', null], ['agent.amy', null]]);
  });

  it('keeps a pending PA\'s scope from the document: in the personas answer, and written back on export', async () => {
    const [admin, pending] = HAND_WRITTEN.programAdministrators;
    const scoped = {
      ...HAND_WRITTEN, name: 'pending_scoped',
      controlAccounts: [{ key: 'acme-north', company: 'acme', number: 'ACM-N', name: 'North' }, { key: 'acme-south', company: 'acme', number: 'ACM-S', name: 'South' }],
      programAdministrators: [admin, { ...pending, scope: ['acme-south'] }],
    };
    await api(t, 'post', '/sim/api/scenarios').send(scoped).expect(201);
    const personas = (await api(t, 'post', '/sim/api/reset').send({ scenario: 'pending_scoped' }).expect(200)).body.personas as Array<{ userId: string; scope: string[] | null }>;
    expect(personas.map((p) => [p.userId, p.scope])).toEqual([['acme.admin', null], ['acme.new', ['ACM-S']], ['agent.amy', null]]);
    const state = await exported('pending_scoped_again');
    const south = (state.controlAccounts as Array<{ key: string; number: string }>).find((account) => account.number === 'ACM-S')!.key;
    expect((state.programAdministrators as Array<{ userId: string; scope?: string[] }>).find((pa) => pa.userId === 'acme.new')!.scope).toEqual([south]);
  });

  it('subscribes reports as the Reports page does, first due after the clock\'s start, and keeps them through export and load', async () => {
    const [admin, pending] = HAND_WRITTEN.programAdministrators;
    const subscribed = {
      ...HAND_WRITTEN, name: 'subscribed',
      controlAccounts: [{ key: 'acme-north', company: 'acme', number: 'ACM-N', name: 'North' }],
      programAdministrators: [{ ...admin, permissions: [...admin!.permissions, 'reports.view'] }, pending],
      reportSubscriptions: [
        { subscriber: 'acme.admin', report: 'declines', frequency: 'daily', account: 'acme-north', reason: 'Card reported lost' },
        { subscriber: 'acme.admin', report: 'spend', frequency: 'weekly' },
        { subscriber: 'acme.admin', report: 'open_requests', frequency: 'monthly' },
      ],
    };
    await api(t, 'post', '/sim/api/scenarios').send(subscribed).expect(201);
    await api(t, 'post', '/sim/api/reset').send({ scenario: 'subscribed' }).expect(200);
    const rows = t.context.db.all<{ report: string; filters: string; next_due_at: number }>('SELECT report, filters, next_due_at FROM report_subscriptions ORDER BY id');
    // The clock starts on Monday 2026-06-01 at noon.
    expect(rows.map((row) => [row.report, JSON.parse(row.filters), new Date(row.next_due_at).toISOString()])).toEqual([
      ['declines', { account: 'ACM-N', reason: 'Card reported lost' }, '2026-06-02T00:00:00.000Z'],
      ['spend', {}, '2026-06-08T00:00:00.000Z'],
      ['open_requests', {}, '2026-07-01T00:00:00.000Z'],
    ]);
    const { once, twice } = await roundTrip(subscribed, 'subscribed_once', 'subscribed_twice');
    expect(twice).toEqual(once);
    // Export keys an account by its number.
    const north = (once.controlAccounts as Array<{ key: string; number: string }>).find((account) => account.number === 'ACM-N')!.key;
    expect(once.reportSubscriptions).toEqual([{ ...subscribed.reportSubscriptions[0], account: north }, ...subscribed.reportSubscriptions.slice(1)]);
    // A PA who lost reports.view keeps subscriptions that deliver nothing: export leaves them out, so the document loads.
    t.context.db.run("DELETE FROM pa_permissions WHERE permission = 'reports.view'");
    const without = await exported('subscribed_without');
    expect(without.reportSubscriptions).toEqual([]);
    await api(t, 'post', '/sim/api/scenarios').send(without).expect(201);
  });

  it('refuses a subscription by anyone but a registered PA holding reports.view, or with filters the subscriber cannot have', async () => {
    const [admin, pending] = HAND_WRITTEN.programAdministrators;
    const bad = {
      ...HAND_WRITTEN, name: 'badly_subscribed',
      companies: [...HAND_WRITTEN.companies, { key: 'other', name: 'Other Co', programNumber: 'OTH-100-0001', maxCardLimitCents: 1_000_000 }],
      controlAccounts: [{ key: 'acme-north', company: 'acme', number: 'ACM-N', name: 'North' }, { key: 'other-top', company: 'other', number: 'OTH-1', name: 'Top' }],
      programAdministrators: [{ ...admin, permissions: [...admin!.permissions, 'reports.view'] }, { ...pending, permissions: ['reports.view'] },
        { ...admin, userId: 'acme.noreports', primary: false, email: 'nr@acme.example' }],
      reportSubscriptions: [
        { subscriber: 'nobody', report: 'spend', frequency: 'daily' },
        { subscriber: 'acme.new', report: 'spend', frequency: 'daily' },
        { subscriber: 'acme.noreports', report: 'spend', frequency: 'daily' },
        { subscriber: 'acme.admin', report: 'payments', frequency: 'hourly' },
        { subscriber: 'acme.admin', report: 'declines', frequency: 'daily', account: 'other-top', reason: 'Never given' },
        { subscriber: 'acme.admin', report: 'spend', frequency: 'daily', account: 'acme-north' },
      ],
    };
    const refused = (await api(t, 'post', '/sim/api/scenarios').send(bad).expect(400)).body.error;
    expect(refused.code).toBe('invalid_scenario');
    expect(Object.keys(refused.fields).sort()).toEqual(['reportSubscriptions[3].frequency', 'reportSubscriptions[3].report']);
    const shaped = { ...bad, reportSubscriptions: bad.reportSubscriptions.filter((_, index) => index !== 3) };
    expect((await api(t, 'post', '/sim/api/scenarios').send(shaped).expect(400)).body.error.fields).toEqual({
      'reportSubscriptions[0].subscriber': 'No registered PA has the user ID "nobody".',
      'reportSubscriptions[1].subscriber': 'No registered PA has the user ID "acme.new".',
      'reportSubscriptions[2].subscriber': 'The PA does not hold reports.view.',
      'reportSubscriptions[3].account': 'The control account is not of the subscriber\'s company.',
      'reportSubscriptions[3].reason': 'No declined charge of the company\'s cards has this reason.',
      'reportSubscriptions[4].account': 'Only a declines report is filtered by control account.',
    });
  });

  it('writes what it does not know in clear as the description says', async () => {
    await api(t, 'post', '/sim/api/reset').send({ scenario: 'default' }).expect(200);
    await api(t, 'post', '/sim/api/enrollments').send({ company: 'Globex Corporation', firstName: 'Una', lastName: 'Known', email: 'una@globex.example' }).expect(201);
    const state = await exported('with_unknown');
    const una = (state.programAdministrators as Array<{ email: string; password: string; verificationPin: string }>).find((pa) => pa.email === 'una@globex.example')!;
    expect(una).toMatchObject({ password: 'Unknown-Password-1', verificationPin: '0000' });
    expect(state.description).toContain('"Unknown-Password-1"');
  });
});

describe('the scenario catalog', () => {
  it(`holds at most ${MAX_LOADED_SCENARIOS} loaded scenarios, but may always replace one`, async () => {
    const dir = temporaryDirectory();
    try {
      const catalog = new ScenarioCatalog(path.join(dir.dir, 'kept'));
      for (let i = 0; i < MAX_LOADED_SCENARIOS; i += 1) await catalog.load({ name: `s${i}` });
      await expect(catalog.load({ name: 'one_more' })).rejects.toMatchObject({ status: 409, code: 'too_many_scenarios' });
      await expect(catalog.load({ name: 's0', description: 'again' })).resolves.toEqual({ name: 's0', replaced: true });
    } finally {
      dir.remove();
    }
  });

  it('reads the documents of SCENARIOS_DIR at start, and refuses to start on a bad one', () => {
    const dir = temporaryDirectory();
    try {
      const folder = path.join(dir.dir, 'mine');
      fs.mkdirSync(folder);
      fs.writeFileSync(path.join(folder, 'hand.json'), JSON.stringify(HAND_WRITTEN));
      expect(new ScenarioCatalog(path.join(dir.dir, 'kept'), folder).find('hand_written')?.cards).toHaveLength(3);
      fs.writeFileSync(path.join(folder, 'broken.json'), JSON.stringify({ name: 'broken', cards: [{ key: 'x' }] }));
      expect(() => new ScenarioCatalog(path.join(dir.dir, 'kept'), folder)).toThrow(/broken\.json is not valid: .*cards\[0\]\.company/);
    } finally {
      dir.remove();
    }
  });
});
