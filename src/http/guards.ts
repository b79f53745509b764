// Who may use a route. Pages for signed-in program administrators redirect strangers to /login.
import type { RequestHandler } from 'express';
import { AppError } from '../lib/errors';
import { wantsJson } from './errors';

export const requireSignedIn: RequestHandler = (req, res, next) => {
  if (req.user) return next();
  if (wantsJson(req) || req.method !== 'GET') return next(new AppError(401, 'unauthenticated', 'Please log in first.'));
  res.redirect('/login');
};

/** Pages a signed-in person has no use for (the sign-in form itself): send them home. */
export const redirectSignedIn: RequestHandler = (req, res, next) => {
  if (req.user) return res.redirect('/home');
  next();
};
