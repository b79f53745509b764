// The one error type services throw; the error handler turns it into a page or JSON.

export interface FieldErrors {
  [field: string]: string;
}

export class AppError extends Error {
  constructor(
    readonly status: number,
    /** Stable machine-readable code: tests and QA scripts assert on this, never on wording. */
    readonly code: string,
    message: string,
    readonly fields?: FieldErrors,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badRequest = (code: string, message: string, fields?: FieldErrors): AppError =>
  new AppError(400, code, message, fields);
export const notFound = (message = 'We could not find that page.'): AppError =>
  new AppError(404, 'not_found', message);
export const forbidden = (message = 'You do not have permission to do that.'): AppError =>
  new AppError(403, 'forbidden', message);
