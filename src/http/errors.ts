// The one error handler: a friendly page for people, { error: { code, message } } for scripts,
// and never a stack trace.
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { AppError, notFound } from '../lib/errors';
import type { Logger } from '../lib/logger';

interface HttpLikeError {
  status?: number;
  statusCode?: number;
  type?: string;
  code?: string;
}

/** Maps what Express, body-parser and csrf-sync throw onto our stable codes. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const e = (err ?? {}) as HttpLikeError;
  if (e.code === 'EBADCSRFTOKEN') {
    return new AppError(403, 'csrf_invalid',
      'This form has expired or did not come from this site. Go back, reload the page and try again.');
  }
  switch (e.type) {
    case 'entity.parse.failed':
      return new AppError(400, 'malformed_body', 'The request body could not be read.');
    case 'entity.too.large':
      return new AppError(413, 'payload_too_large', 'The request is too large.');
    case 'parameters.too.many':
      return new AppError(413, 'too_many_fields', 'The request has too many fields.');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError(415, 'unsupported_encoding', 'The request uses an encoding we do not accept.');
    default:
      break;
  }
  const status = e.status ?? e.statusCode;
  if (err instanceof URIError || status === 400) {
    return new AppError(400, 'bad_request', 'The address or the request could not be read.');
  }
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new AppError(status, 'bad_request', 'The request could not be handled.');
  }
  return new AppError(500, 'internal_error', 'Something went wrong on our side. Please try again.');
}

export function wantsJson(req: Request): boolean {
  return req.originalUrl.startsWith('/sim/api') || req.accepts(['html', 'json']) === 'json';
}

export const notFoundHandler: RequestHandler = (_req, _res, next) => next(notFound());

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const error = toAppError(err);
    // An AppError is an answer the code chose (503 shutting_down, say); anything else reaching here
    // with a 5xx is a fault, logged with its stack for whoever investigates.
    if (error.status >= 500 && !(err instanceof AppError)) {
      const cause = err instanceof Error ? { name: err.name, message: err.message, stack: err.stack } : { value: String(err) };
      logger.error({ err: cause, method: req.method, path: req.path }, 'request failed');
    }
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.status(error.status);
    if (error.status === 429) res.set('Retry-After', '60');
    if (wantsJson(req)) {
      res.json({ error: { code: error.code, message: error.message, ...(error.fields ? { fields: error.fields } : {}) } });
      return;
    }
    const view = error.status === 404 ? 'errors/not-found' : 'errors/error';
    res.render(view, { title: error.status === 404 ? 'Page not found' : 'Something went wrong', error }, (renderErr, html) => {
      if (renderErr) {
        logger.error({ err: { message: renderErr.message } }, 'error page failed to render');
        res.type('text/plain').send(error.message);
        return;
      }
      res.send(html);
    });
  };
}
