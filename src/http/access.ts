// Who may use each route, declared on the route itself. Every route must carry exactly one
// declaration; createApp refuses (403) any route that does not, and a test walks the router.
import type { Request, RequestHandler, Router } from 'express';
import { AppError, forbidden } from '../lib/errors';
import { RETURN_TO_PARAM, safeReturnPath } from '../lib/return-path';
import type { Permission } from '../features/permissions/permissions';
import { wantsJson } from './errors';
import { addFlash } from './sessions';

export type Access =
  | { kind: 'public' }
  | { kind: 'signed_in' }
  | { kind: 'permission'; permissions: Permission[] }
  | { kind: 'simulator' }
  | { kind: 'staff'; role: 'agent' | 'supervisor' };

const ACCESS = Symbol('access');
type Declared = RequestHandler & { [ACCESS]?: Access };

function declare(access: Access, handler: RequestHandler): RequestHandler {
  (handler as Declared)[ACCESS] = access;
  return handler;
}

export function accessOf(handler: unknown): Access | undefined {
  return typeof handler === 'function' ? (handler as Declared)[ACCESS] : undefined;
}

function refuseStranger(req: Request, res: Parameters<RequestHandler>[1], next: Parameters<RequestHandler>[2]): void {
  if (wantsJson(req) || req.method !== 'GET') return next(new AppError(401, 'unauthenticated', 'Please log in first.'));
  // A session that ended long ago is simply gone, so say something either way.
  if (!req.session.flash?.length) addFlash(req, 'notice', 'Please log in to continue.');
  // Only a page (GET) is worth returning to after sign-in, and the homepage is where sign-in goes anyway.
  const returnTo = safeReturnPath(req.originalUrl);
  res.redirect(returnTo && returnTo !== '/home' ? `/login?${new URLSearchParams({ [RETURN_TO_PARAM]: returnTo })}` : '/login');
}

/** Anyone, signed in or not. */
export const publicAccess: RequestHandler = declare({ kind: 'public' }, (_req, _res, next) => next());

/** Any signed-in program administrator. */
export const signedIn: RequestHandler = declare({ kind: 'signed_in' }, (req, res, next) => {
  if (!req.user) return refuseStranger(req, res, next);
  next();
});

/** A signed-in program administrator holding every one of these permissions. */
export function requirePermission(...permissions: Permission[]): RequestHandler {
  return declare({ kind: 'permission', permissions }, (req, res, next) => {
    if (!req.user) return refuseStranger(req, res, next);
    const held = new Set(req.user.permissions);
    if (!permissions.every((permission) => held.has(permission))) {
      return next(forbidden('Your User ID does not have permission for this. Your primary Program Administrator can request it from the Help Desk.'));
    }
    next();
  });
}

/** Any signed-in help-desk staff member (agents and supervisors). */
export const staffOnly: RequestHandler = declare({ kind: 'staff', role: 'agent' }, (req, res, next) => {
  if (req.staff) return next();
  if (wantsJson(req) || req.method !== 'GET') return next(new AppError(401, 'unauthenticated', 'Please log in to the help desk first.'));
  res.redirect('/helpdesk/login');
});

/** Help-desk supervisors only. */
export const supervisorOnly: RequestHandler = declare({ kind: 'staff', role: 'supervisor' }, (req, res, next) => {
  if (!req.staff) return staffOnly(req, res, next);
  if (req.staff.role !== 'supervisor') return next(forbidden('Only a supervisor can do that.'));
  next();
});

/** Declares a middleware as the simulator's own guard (bearer token or console sign-in). */
export function simulatorAccess(guard: RequestHandler): RequestHandler {
  return declare({ kind: 'simulator' }, guard);
}

/** Pages a signed-in person has no use for (the sign-in form itself): send them home. */
export const redirectSignedIn: RequestHandler = (req, res, next) => {
  if (req.user) return res.redirect('/home');
  next();
};

interface Layer {
  handle: unknown;
  route?: Route;
}

/** A router's route: `router.route(path)`, with a method for each HTTP method (`get`, `post`, …) and `all`. */
interface Route {
  path: string;
  methods: Record<string, boolean>;
  stack: Layer[];
}

export interface RouteAccess {
  methods: string[];
  path: string;
  access: Access | undefined;
  /** The route itself, where a missing declaration is fixed by putting a refusal in front of its handlers. */
  route: Route;
}

/**
 * Every route in the app with its declared access. A router-level declaration (router.use(guard)
 * at the top of a router) covers all routes inside that router.
 */
export function listRouteAccess(router: Router): RouteAccess[] {
  const found: RouteAccess[] = [];
  const walk = (stack: Layer[], inherited: Access | undefined) => {
    let routerLevel = inherited;
    for (const layer of stack) {
      if (layer.route) {
        const own = layer.route.stack.map((l) => accessOf(l.handle)).find(Boolean);
        found.push({
          methods: Object.keys(layer.route.methods).map((m) => m.toUpperCase()),
          path: layer.route.path,
          access: own ?? routerLevel,
          route: layer.route,
        });
        continue;
      }
      const declared = accessOf(layer.handle);
      if (declared) {
        routerLevel = declared;
        continue;
      }
      const nested = (layer.handle as { stack?: Layer[] } | undefined)?.stack;
      if (Array.isArray(nested)) walk(nested, routerLevel);
    }
  };
  walk((router as unknown as { stack: Layer[] }).stack, undefined);
  return found;
}

const refuseUndeclared: RequestHandler = (_req, _res, next) =>
  next(forbidden('This page is not available.'));

/** Deny by default: a route that declares no access refuses everyone. Returns what it closed. */
export function closeUndeclaredRoutes(router: Router): RouteAccess[] {
  const undeclared = listRouteAccess(router).filter((route) => !route.access);
  for (const { route } of undeclared) {
    // The route's own API adds the refusal for each method it answers (`_all` is `route.all`), so
    // it answers no method it did not before; the refusals then move in front of the handlers.
    const handlers = route.stack.length;
    const adders = route as unknown as Record<string, (handler: RequestHandler) => unknown>;
    for (const method of Object.keys(route.methods)) adders[method === '_all' ? 'all' : method]!.call(route, refuseUndeclared);
    route.stack.unshift(...route.stack.splice(handlers));
  }
  return undeclared;
}
