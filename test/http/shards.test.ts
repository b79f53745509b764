// One process of a sharded deployment (SHARD_INDEX of SHARD_COUNT) holds only the sandbox ids that
// hash to it, makes only those, says which instance it is, and answers on the configured base
// domain as on localhost. The balancer's half of the agreement is proven in test/cluster.
import request from 'supertest';
import { ConfigError, loadConfig } from '../../src/config';
import { shardOf } from '../../src/lib/shards';
import { persona } from '../helpers/actors';
import { csrfTokenIn } from '../helpers/pages';
import { TEST_SIM_TOKEN, createTestApp, type TestApp } from '../helpers/test-app';

/** The first few ids of the form qa-<n> that hash to the given shard of two. */
function idsOfShard(shard: number, count: number, how = 3): string[] {
  const ids: string[] = [];
  for (let n = 0; ids.length < how; n += 1) if (shardOf(`qa-${n}`, count) === shard) ids.push(`qa-${n}`);
  return ids;
}

describe('which shard holds an id', () => {
  it('is CRC-32 of the id modulo the count, as HAProxy computes it, and the default is always shard 0', () => {
    // The sums HAProxy 2.6 printed for `str(<id>),crc32`: the balancer and the processes must agree.
    expect(shardOf('abc-123', 1_000_000_000)).toBe(240318144);
    expect(shardOf('qa-9', 1_000_000_000)).toBe(3304942357 % 1_000_000_000);
    expect(shardOf('abc-123', 2)).toBe(0);
    expect(shardOf('qa-9', 2)).toBe(1);
    for (const count of [1, 2, 3, 7, 64]) expect(shardOf('default', count)).toBe(0);
  });

  it('is refused in configuration when the index is not below the count, or the base domain is no domain', () => {
    expect(() => loadConfig({ SHARD_INDEX: '2', SHARD_COUNT: '2' })).toThrow(ConfigError);
    expect(() => loadConfig({ SHARD_COUNT: '0' })).toThrow(ConfigError);
    expect(() => loadConfig({ SIM_BASE_DOMAIN: 'not a domain' })).toThrow(ConfigError);
    expect(loadConfig({ SIM_BASE_DOMAIN: 'Sim.Example.TEST' }).baseDomain).toBe('sim.example.test');
  });
});

describe('a process that is shard 1 of 2', () => {
  let t: TestApp;
  beforeEach(async () => { t = await createTestApp({ env: { SHARD_INDEX: '1', SHARD_COUNT: '2', INSTANCE_NAME: 'shard-b', MAX_SANDBOXES: '40' } }); });
  afterEach(() => t.close());
  const api = (method: 'get' | 'post' | 'delete', url: string) => request(t.app)[method](url).set('Authorization', `Bearer ${TEST_SIM_TOKEN}`);

  it('says which instance it is on /sim/api/health', async () => {
    const health = (await api('get', '/sim/api/health').expect(200)).body;
    expect(health.instance).toEqual({ name: 'shard-b', shard: 1, shards: 2, pid: process.pid });
  });

  it('makes a chosen id of its shard and refuses one of the other shard with 421 wrong_shard, making nothing', async () => {
    const mine = idsOfShard(1, 2)[0]!;
    const theirs = idsOfShard(0, 2)[0]!;
    await api('post', '/sim/api/sandboxes').send({ id: mine }).expect(201);
    const refused = await api('post', '/sim/api/sandboxes').send({ id: theirs }).expect(421);
    expect(refused.body.error.code).toBe('wrong_shard');
    expect(refused.body.error.message).toContain(`"${theirs}"`);
    const listed = (await api('get', '/sim/api/sandboxes').expect(200)).body.sandboxes.map((s: { id: string }) => s.id);
    expect(listed).toEqual([mine]);
    await request(t.app).get('/sim/api/health').set('Authorization', `Bearer ${TEST_SIM_TOKEN}`).set('X-Sim-Sandbox', theirs).expect(404);
  });

  it('names every sandbox it makes without a chosen id with an id of its own shard', async () => {
    const made = await Promise.all(Array.from({ length: 12 }, () => api('post', '/sim/api/sandboxes').send({}).expect(201)));
    for (const { body } of made) expect(shardOf(body.id as string, 2)).toBe(1);
    expect(new Set(made.map(({ body }) => body.id)).size).toBe(12);
  });

  it('does not list its own default, which nobody reaches through the balancer', async () => {
    const listed = (await api('get', '/sim/api/sandboxes').expect(200)).body.sandboxes;
    expect(listed).toEqual([]);
  });
});

describe('a process that is shard 0 of 2', () => {
  it('holds and lists the default sandbox', async () => {
    const t = await createTestApp({ env: { SHARD_INDEX: '0', SHARD_COUNT: '2' } });
    try {
      const listed = (await request(t.app).get('/sim/api/sandboxes').set('Authorization', `Bearer ${TEST_SIM_TOKEN}`).expect(200)).body.sandboxes;
      expect(listed.map((s: { id: string }) => s.id)).toEqual(['default']);
      const health = (await request(t.app).get('/sim/api/health').set('Authorization', `Bearer ${TEST_SIM_TOKEN}`).expect(200)).body;
      expect(health.instance).toMatchObject({ shard: 0, shards: 2 });
      expect(health.instance.name).toMatch(/:\d+$/);
    } finally {
      t.close();
    }
  });
});

describe('a simulator given a base domain', () => {
  let t: TestApp;
  beforeEach(async () => { t = await createTestApp({ env: { SIM_BASE_DOMAIN: 'sim.example.test', AUTH_RATE_LIMIT_PER_MINUTE: '10000' } }); });
  afterEach(() => t.close());
  const api = (method: 'get' | 'post', url: string, host: string) => request(t.app)[method](url).set('Authorization', `Bearer ${TEST_SIM_TOKEN}`).set('Host', host);

  it('reaches a sandbox at <id>.<base domain> and gives that address for it', async () => {
    const made = await api('post', '/sim/api/sandboxes', 'sim.example.test:8443').send({ id: 'qa-domain' }).expect(201);
    expect(made.body.url).toBe('http://qa-domain.sim.example.test:8443');
    const health = await api('get', '/sim/api/health', 'QA-Domain.sim.example.test:8443').expect(200);
    expect(health.body.sandbox).toBe('qa-domain');
    // localhost names keep working beside it.
    expect((await api('get', '/sim/api/health', 'qa-domain.localhost:3000').expect(200)).body.sandbox).toBe('qa-domain');
  });

  it('writes reset links on the base domain for a sandbox reached there', async () => {
    await api('post', '/sim/api/sandboxes', 'sim.example.test').send({ id: 'qa-links' }).expect(201);
    const host = 'qa-links.sim.example.test:8443';
    const agent = request.agent(t.app);
    const form = await agent.get('/forgot-password').set('Host', host).expect(200);
    await agent.post('/forgot-password').set('Host', host).type('form')
      .send({ _csrf: csrfTokenIn(form.text), userId: 'globex.primary', email: persona('globex.primary').email }).expect(200);
    const [reset] = (await api('get', '/sim/api/outbox?type=password_reset', host).expect(200)).body.messages;
    expect(String(reset.data.resetUrl)).toMatch(/^http:\/\/qa-links\.sim\.example\.test:8443\/reset-password\/[\w-]{40,}$/);
  });

  it('points an unknown sandbox under the base domain back to the default on the base domain', async () => {
    const page = await request(t.app).get('/').set('Host', 'gone-sandbox.sim.example.test:8443').set('Accept', 'text/html').expect(404);
    expect(page.text).toContain('href="//sim.example.test:8443/"');
    expect(page.text).toContain('No such sandbox');
  });

  it('still never reflects a host outside its domains', async () => {
    await api('post', '/sim/api/sandboxes', 'sim.example.test').send({ id: 'qa-forged' }).expect(201);
    const [welcome] = (await api('get', '/sim/api/outbox?type=welcome', 'evil.example').set('X-Sim-Sandbox', 'qa-forged').expect(200)).body.messages;
    expect(welcome.data.registerUrl).not.toContain('evil.example');
    const [alsoWelcome] = (await api('get', '/sim/api/outbox?type=welcome', 'qa-forged.sim.example.test.evil.example').set('X-Sim-Sandbox', 'qa-forged').expect(200)).body.messages;
    expect(alsoWelcome.data.registerUrl).not.toContain('evil.example');
  });
});
