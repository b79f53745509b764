// What every page template can rely on: its CSRF token, flash messages, the signed-in person.
import type { RequestHandler } from 'express';
import { csrfTokenFor } from './csrf';
import { takeFlash } from './sessions';

export const HELP_DESK_PHONE = '800-633-6973';

export function pageLocals(): RequestHandler {
  return (req, res, next) => {
    res.locals.csrfToken = csrfTokenFor(req);
    res.locals.flash = req.method === 'GET' ? takeFlash(req) : [];
    res.locals.currentPath = req.path;
    next();
  };
}

/** Locals for every template, including error pages rendered before pageLocals ran. */
export function baseLocals(): RequestHandler {
  return (_req, res, next) => {
    res.locals.helpDeskPhone = HELP_DESK_PHONE;
    res.locals.flash = [];
    res.locals.currentUser = null;
    next();
  };
}
