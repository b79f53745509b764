// Where to send a person after sign-in: the page they asked for when the portal sent them to log in.
// The path travels through the login page's URL and form, so anyone can craft one: only a path on
// this origin is accepted, never one a browser would read as another host.

/** The query parameter and form field that carry the page asked for. */
export const RETURN_TO_PARAM = 'returnTo';

/** Longer paths than this are no page of the portal, only someone's experiment. */
const MAX_RETURN_PATH_LENGTH = 2_000;

/**
 * `value` when it is a path on this origin (e.g. "/cards/3?tab=charges"), else undefined.
 * Refused: "//host" and "/\host" (browsers read both as another host), any backslash, absolute URLs,
 * control and whitespace characters (a browser strips some of them, turning "/\t/host" into
 * "//host"), and the sign-in pages themselves.
 */
export function safeReturnPath(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_RETURN_PATH_LENGTH) return undefined;
  if (!value.startsWith('/') || value.startsWith('//')) return undefined;
  // eslint-disable-next-line no-control-regex
  if (/[\\\u0000-\u0020\u007f-\u009f\u2028\u2029]/.test(value)) return undefined;
  let pathname: string;
  try {
    const parsed = new URL(value, 'http://portal.invalid');
    if (parsed.origin !== 'http://portal.invalid') return undefined;
    pathname = parsed.pathname;
  } catch {
    return undefined;
  }
  if (pathname === '/login' || pathname === '/logout') return undefined;
  return value;
}
