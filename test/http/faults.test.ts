import request from 'supertest';
import { TEST_SIM_TOKEN, createTestApp, type TestApp } from '../helpers/test-app';

let t: TestApp;
beforeEach(async () => { t = await createTestApp(); });
afterEach(() => t.close());

const inject = (body: object) =>
  request(t.app).post('/sim/api/faults').set('Authorization', `Bearer ${TEST_SIM_TOKEN}`).send(body).expect(201);

describe('fault patterns', () => {
  it('never stall the server: a pattern with many stars against a long path is decided at once', async () => {
    const longPath = `/${'a'.repeat(500)}`;
    await request(t.app).get(longPath).expect(404); // the first page compiles its views: not timed
    await inject({ pattern: '/*a*a*a*b', status: 503 });
    const started = Date.now();
    // No fault applies (the path does not end in "b"): the portal answers as it would anyway.
    const res = await request(t.app).get(longPath);
    expect(res.status).toBe(404);
    expect(res.headers['x-sim-fault']).toBeUndefined();
    // The same path ending in "b" is faulted.
    expect((await request(t.app).get(`${longPath}b`)).status).toBe(503);
    // A sanity bound only (it took 16 s with a regular expression); the figure is a benchmark's.
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});

/** What a browser sends when it navigates to a page. */
const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';

describe('an injected error status', () => {
  it('answers a browser with an HTML page that says the failure was injected', async () => {
    const fault = (await inject({ pattern: '/help*', status: 503 })).body.fault;
    const res = await request(t.app).get('/help').set('Accept', BROWSER_ACCEPT);
    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['x-sim-fault']).toBe(fault.id);
    expect(res.text).toMatch(/^<!doctype html>/i);
    expect(res.text).toContain('data-error-code="injected_fault"');
    expect(res.text).toContain(`Injected fault ${fault.id} on /help*.`);
    expect(res.text).not.toMatch(/<script|<style|\sstyle=/i);
  });

  it('escapes the pattern it names on the page', async () => {
    // Characters a URL carries unencoded; the page escapes "<" and '"' the same way (unknown-sandbox.test.ts).
    await inject({ pattern: "/help*&'x", status: 500 });
    const res = await request(t.app).get("/help&'x").set('Accept', BROWSER_ACCEPT);
    expect(res.status).toBe(500);
    expect(res.text).toContain('/help*&amp;&#39;x');
    expect(res.text).not.toContain("&'x");
  });

  it('keeps answering scripts with JSON: Accept application/json, */* or none', async () => {
    await inject({ pattern: '/help', status: 502 });
    for (const accept of ['application/json', '*/*', undefined]) {
      const req = request(t.app).get('/help');
      const res = await (accept ? req.set('Accept', accept) : req);
      expect([accept, res.status, res.headers['content-type']]).toEqual([accept, 502, expect.stringMatching(/^application\/json/)]);
      expect(res.body.error.code).toBe('injected_fault');
    }
  });
});
