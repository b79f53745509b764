// CSRF protection (synchroniser token in the session) for every state-changing request of a page.
import { csrfSync } from 'csrf-sync';
import type { Request, RequestHandler } from 'express';

/** 256 random bits, as hex: unguessable, and a quarter of the library's default in every form and session. */
const CSRF_TOKEN_BYTES = 32;

const { csrfSynchronisedProtection, generateToken } = csrfSync({
  size: CSRF_TOKEN_BYTES,
  getTokenFromRequest: (req: Request) => {
    const fromForm = (req.body as Record<string, unknown> | undefined)?._csrf;
    if (typeof fromForm === 'string') return fromForm;
    const fromHeader = req.headers['x-csrf-token'];
    return typeof fromHeader === 'string' ? fromHeader : undefined;
  },
});

/** Refuses POST, PUT, PATCH and DELETE whose token does not match the session's (403 csrf_invalid). */
export const csrfProtection: RequestHandler = csrfSynchronisedProtection;

/** The token forms put in their hidden `_csrf` input; created once per session. */
export function csrfTokenFor(req: Request): string {
  return generateToken(req);
}

/**
 * The token as a page's templates see it: made (and kept in the session, which stores the session)
 * only when a template prints it, as `<%= csrfToken %>` does. A page without a form then starts no
 * session: before, every cookieless GET, 404s and missing static files included, wrote a session
 * row that lived for 8 hours.
 */
export function lazyCsrfToken(req: Request): { toString(): string; toJSON(): string } {
  let token: string | undefined;
  const print = () => (token ??= csrfTokenFor(req));
  return { toString: print, toJSON: print };
}
