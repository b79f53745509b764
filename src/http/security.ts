// Security headers: a CSP with no inline script or style, no framing, no sniffing.
import helmet from 'helmet';
import type { RequestHandler } from 'express';

const HELMET = helmet({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      scriptSrcAttr: ["'none'"],
      styleSrc: ["'self'"],
      styleSrcAttr: ["'none'"],
      imgSrc: ["'self'", 'data:'],
      fontSrc: ["'self'"],
      connectSrc: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      // No page needs a <base>; none at all means injected markup cannot re-point relative links.
      baseUri: ["'none'"],
      objectSrc: ["'none'"],
    },
  },
  // Sent per request below, and only over HTTPS: see securityHeaders.
  strictTransportSecurity: false,
  referrerPolicy: { policy: 'same-origin' },
  xFrameOptions: { action: 'deny' },
});

/** A year, helmet's default: long enough that a browser keeps to HTTPS between visits. */
const HSTS_MAX_AGE_S = 365 * 24 * 60 * 60;
const HSTS = `max-age=${HSTS_MAX_AGE_S}; includeSubDomains`;

/**
 * Helmet's headers on every answer, and HSTS only on answers that came over HTTPS (directly or from
 * a trusted proxy): browsers ignore it over plain HTTP, and a simulator on http://127.0.0.1 that
 * sent it would only mislead a scanner or a reader of the headers.
 */
export function securityHeaders(): RequestHandler {
  // Helmet runs as the middleware it is: working its headers out once saved only 0.2–0.3 µs a request.
  return (req, res, next) => {
    HELMET(req, res, (err?: unknown) => {
      if (err) return next(err);
      if (req.secure) res.setHeader('Strict-Transport-Security', HSTS);
      next();
    });
  };
}

/** Portal pages carry account data: no shared or back-button cache may keep them. */
export const noStore: RequestHandler = (_req, res, next) => {
  res.set('Cache-Control', 'no-store');
  next();
};
