import express, { Router } from 'express';
import request from 'supertest';
import { closeUndeclaredRoutes, listRouteAccess, publicAccess } from '../../src/http/access';
import { errorHandler } from '../../src/http/errors';
import { createTestApp, type TestApp } from '../helpers/test-app';

let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(() => t.close());

describe('route access declarations', () => {
  it('cover every route of the app', () => {
    const routes = listRouteAccess(t.expressApp.router);
    expect(routes.length).toBeGreaterThan(10);
    const undeclared = routes.filter((route) => !route.access).map((route) => `${route.methods.join(',')} ${route.path}`);
    expect(undeclared).toEqual([]);
  });

  it('keep the sign-in pages public and the homepage for signed-in users only', () => {
    const byPath = new Map(listRouteAccess(t.expressApp.router).map((route) => [`${route.methods[0]} ${route.path}`, route.access?.kind]));
    expect(byPath.get('GET /login')).toBe('public');
    expect(byPath.get('POST /login')).toBe('public');
    expect(byPath.get('GET /login/verify')).toBe('public');
    expect(byPath.get('POST /login/verify')).toBe('public');
    expect(byPath.get('POST /login/verify/resend')).toBe('public');
    expect(byPath.get('GET /profile/two-step')).toBe('signed_in');
    expect(byPath.get('POST /profile/devices/:id/revoke')).toBe('signed_in');
    expect(byPath.get('POST /callers/:id/two-step-reset')).toBe('staff');
    expect(byPath.get('GET /home')).toBe('signed_in');
    expect(byPath.get('POST /logout')).toBe('signed_in');
    expect(byPath.get('GET /health')).toBe('simulator');
  });

  it("keep the profile to the signed-in PA and the answers to contact-change requests to the help desk's agents", () => {
    const byPath = new Map(listRouteAccess(t.expressApp.router).map((route) => [`${route.methods.join(',')} ${route.path}`, route.access]));
    for (const route of ['GET /profile', 'POST /profile/contact', 'GET /profile/password', 'POST /profile/password', 'POST /profile/sessions/end-others', 'POST /profile/sessions/:id/end']) {
      expect([route, byPath.get(route)]).toEqual([route, { kind: 'signed_in' }]);
    }
    for (const route of ['GET /contact-requests/:trackingNumber', 'POST /contact-requests/:trackingNumber/complete', 'POST /contact-requests/:trackingNumber/reject']) {
      expect([route, byPath.get(route)]).toEqual([route, { kind: 'staff', role: 'agent' }]);
    }
  });

  it('declare the supervisor role on the route for every help-desk action the rules keep to supervisors', () => {
    const helpdesk = listRouteAccess(t.expressApp.router).filter((route) => route.access?.kind === 'staff');
    const supervisorsOnly = helpdesk.filter((route) => route.access?.kind === 'staff' && route.access.role === 'supervisor')
      .map((route) => `${route.methods.join(',')} ${route.path}`).sort();
    expect(supervisorsOnly).toEqual([
      'GET /escalations', 'GET /staff', 'POST /callers/:id/clear-block', 'POST /callers/:id/lift-suspension',
      'POST /escalations/:id/resolve', 'POST /staff/:id/unlock',
    ]);
    expect(helpdesk.length).toBeGreaterThan(supervisorsOnly.length);
  });

  it('open secure messages to any signed-in PA, and the help desk\'s side to every staff member, agents included', () => {
    const declared = listRouteAccess(t.expressApp.router).map((route) => {
      const access = route.access;
      return `${route.methods.join(',')} ${route.path} ${access?.kind === 'staff' ? `staff:${access.role}` : access?.kind}`;
    });
    expect(declared).toEqual(expect.arrayContaining([
      'GET /messages signed_in', 'GET /messages/new signed_in', 'POST /messages signed_in', 'GET /messages/:trackingNumber signed_in',
      'POST /messages/:trackingNumber/reply signed_in', 'POST /messages/:trackingNumber/close signed_in',
      'GET /messages/:trackingNumber staff:agent', 'POST /messages/:trackingNumber/reply staff:agent', 'POST /messages/:trackingNumber/close staff:agent',
    ]));
  });

  it('refuse everyone on a route that declares nothing (deny by default)', async () => {
    const router = Router();
    router.get('/forgotten', (_req, res) => { res.send('secret'); });
    router.get('/declared', publicAccess, (_req, res) => { res.send('fine'); });
    const closed = closeUndeclaredRoutes(router);
    expect(closed.map((route) => route.path)).toEqual(['/forgotten']);

    const app = express();
    app.set('views', `${process.cwd()}/views`);
    app.set('view engine', 'ejs');
    app.use(router);
    app.use(errorHandler(t.context.logger));
    const refused = await request(app).get('/forgotten').set('Accept', 'application/json');
    expect(refused.status).toBe(403);
    expect(refused.text).not.toContain('secret');
    await request(app).get('/declared').expect(200, 'fine');
  });

  it('refuse an undeclared route on the methods it answers, and on no other', async () => {
    const router = Router();
    router.get('/forgotten', (_req, res) => { res.send('secret'); });
    router.post('/forgotten', publicAccess, (_req, res) => { res.send('posted'); });
    router.all('/anything', (_req, res) => { res.send('secret'); });
    router.route('/both').get((_req, res) => { res.send('secret'); }).put((_req, res) => { res.send('secret'); });
    const closed = closeUndeclaredRoutes(router);
    expect(closed.map((route) => `${route.methods.join(',')} ${route.path}`)).toEqual(['GET /forgotten', '_ALL /anything', 'GET,PUT /both']);
    expect(listRouteAccess(router).map((route) => route.methods.join(','))).toEqual(['GET', 'POST', '_ALL', 'GET,PUT']);

    const app = express();
    app.use(router);
    app.use(errorHandler(t.context.logger));
    const json = { Accept: 'application/json' };
    for (const [method, path] of [['get', '/forgotten'], ['head', '/forgotten'], ['delete', '/anything'], ['get', '/both'], ['put', '/both']] as const) {
      const refused = await request(app)[method](path).set(json);
      expect([method, path, refused.status, (refused.text ?? '').includes('secret')]).toEqual([method, path, 403, false]);
    }
    // The declared POST after the undeclared GET at the same path is still reached, and /both still answers no POST.
    await request(app).post('/forgotten').expect(200, 'posted');
    await request(app).post('/both').set(json).expect(404);
  });
});
