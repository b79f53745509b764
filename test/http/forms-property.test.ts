// Property-based tests: random, hostile and oddly shaped input in every field of the account forms,
// sent with a valid CSRF token so it reaches the handlers of the real app on a real database.
import fc from 'fast-check';
import request, { type Response } from 'supertest';
import { parseAccessCode } from '../../src/features/accounts/access-code';
import { personalWords } from '../../src/features/accounts/common-passwords';
import { passwordProblem } from '../../src/features/accounts/password-policy';
import { secretMatches } from '../../src/lib/hashing';
import { csrfTokenFrom, type Agent } from '../helpers/pages';
import { createTestApp, type TestApp } from '../helpers/test-app';

const APP_OPTIONS = { env: { AUTH_RATE_LIMIT_PER_MINUTE: '100000' } };
const NUM_RUNS = 50;
/**
 * Runs take milliseconds, but shrinking a 5,000-character counterexample can take long: stop it
 * after 15 s (reporting the smallest counterexample so far) inside a 30 s test timeout.
 */
const PROPERTY_OPTIONS = { numRuns: NUM_RUNS, plugins: [fc.interruptAfterTimeLimit(15_000, { failOnInterrupt: true })] };
const PROPERTY_TIMEOUT_MS = 30_000;
/** The app's form body limit (16 kB) in bytes: one byte more is refused with 413. */
const FORM_BODY_LIMIT_BYTES = 16 * 1024;
/** Room kept in generated bodies for the `_csrf=…&` prefix (csrf-sync tokens are 256 hex digits). */
const CSRF_ROOM_BYTES = 300;
/** The field lengths of the forms (formText / formSecret maxima in the routes). */
const TEXT_MAX = 64;
const EMAIL_MAX = 320;
const SECRET_MAX = 1024;

const RESET_USER_ID = 'globex.primary';
const RESET_EMAIL = 'hank.scorpio@globex.example';

// ---- What is sent --------------------------------------------------------------------------------

const SQL_FRAGMENTS = ["' OR 1=1 --", "'; DROP TABLE program_administrators; --", '" OR ""="', "admin'--", '1; DELETE FROM access_codes'];
const HTML_FRAGMENTS = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>'];
/** Markup that must never come back verbatim, whatever the page. */
const INJECTED_MARKUP = ['<script>alert(1)</script>', '<img src=x onerror'];

const controlCharacter = fc.integer({ min: 0, max: 0x1f }).map((code) => String.fromCharCode(code));
const fragment = fc.constantFrom(...SQL_FRAGMENTS, ...HTML_FRAGMENTS);

/** Mostly characters that URL-encode to one byte, so a 1,000–5,000 character value fits the body limit. */
const longText = fc.string({
  unit: fc.oneof(
    { weight: 40, arbitrary: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789 ') },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
    { weight: 1, arbitrary: controlCharacter },
    { weight: 1, arbitrary: fragment },
  ),
  minLength: 1000,
  maxLength: 5000,
});

/** Lengths on either side of the forms' limits (64, 320 and 1024 characters). */
const nearALimit = fc
  .constantFrom(TEXT_MAX, EMAIL_MAX, SECRET_MAX)
  .chain((limit) => fc.string({ unit: 'grapheme-ascii', minLength: limit - 2, maxLength: limit + 2 }));

/** The same in characters outside the BMP: two UTF-16 units, four UTF-8 bytes each. */
const nearALimitInFourByteCharacters = fc
  .constantFrom(TEXT_MAX, EMAIL_MAX)
  .chain((limit) => fc.string({ unit: fc.integer({ min: 0x10000, max: 0x10ffff }).map((cp) => String.fromCodePoint(cp)), minLength: limit - 2, maxLength: limit + 2 }));

/** A field value as the server should decode it. */
const text: fc.Arbitrary<string> = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'binary-ascii' }),
  fc.string({ unit: controlCharacter, minLength: 1 }),
  fragment,
  fc.tuple(fc.string({ unit: 'grapheme' }), fragment, fc.string({ unit: 'binary-ascii' })).map((parts) => parts.join('')),
  fc.string({ minLength: 12, maxLength: 80 }),
  nearALimit,
  nearALimitInFourByteCharacters,
  longText,
);

/**
 * Percent-encoding a browser would never send: the parser leaves such a value undecoded. (No raw
 * "]=": qs would take everything before it for the key, which the decoding model here leaves out.)
 */
const malformedEncoding = fc.constantFrom('%', '%Z', '%ZZ', '%ff%fe', '%C0%AF', '%ED%A0%80', '+', '%2B+%20', 'a=b', '%00', '%5B%ZZ%5d');

/** One occurrence of a field exactly as it goes on the wire (percent-encoded). */
const wireValue: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: text.map((value) => encodeURIComponent(value)) },
  { weight: 1, arbitrary: fc.tuple(text, malformedEncoding, text).map(([a, bad, b]) => encodeURIComponent(a) + bad + encodeURIComponent(b)) },
);

/** A field's occurrences: none (absent), one (a string), or several (which the parser makes an array). */
const fieldOccurrences: fc.Arbitrary<string[]> = fc.oneof(
  { weight: 8, arbitrary: wireValue.map((value) => [value]) },
  { weight: 1, arbitrary: fc.constant<string[]>([]) },
  { weight: 1, arbitrary: fc.array(wireValue, { minLength: 2, maxLength: 3 }) },
);

/** Extra fields no form has, some named like Object.prototype members. */
const strayField: fc.Arbitrary<[string, string]> = fc.tuple(
  fc.constantFrom('toString', 'hasOwnProperty', 'constructor', '__proto__', 'valueOf', 'userId[]', 'password[0]', 'email[x]'),
  wireValue,
);

interface Submission {
  fields: Record<string, string[]>;
  stray: Array<[string, string]>;
}

function bodyOf(submission: Submission): string {
  const pairs = [
    ...Object.entries(submission.fields).flatMap(([name, values]) => values.map((value) => `${name}=${value}`)),
    ...submission.stray.map(([name, value]) => `${name}=${value}`),
  ];
  return pairs.join('&');
}

const fitsTheBodyLimit = (submission: Submission): boolean =>
  Buffer.byteLength(bodyOf(submission)) + CSRF_ROOM_BYTES <= FORM_BODY_LIMIT_BYTES;

function submissionOf(fieldNames: string[]): fc.Arbitrary<Submission> {
  const fields: fc.Arbitrary<Record<string, string[]>> = fc.record(Object.fromEntries(fieldNames.map((name) => [name, fieldOccurrences])));
  const stray = fc.oneof(
    { weight: 4, arbitrary: fc.constant<Array<[string, string]>>([]) },
    { weight: 1, arbitrary: fc.array(strayField, { minLength: 1, maxLength: 3 }) },
  );
  return fc.record({ fields, stray }).filter(fitsTheBodyLimit);
}

/**
 * How the urlencoded parser (qs) decodes a value: %5B and %5D become brackets in the whole body
 * first, '+' is a space, and a value with a malformed escape stays otherwise as it is.
 */
function decodeWire(wire: string): string {
  const spaced = wire.replace(/%5B/gi, '[').replace(/%5D/gi, ']').replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

/** What the handler finds in req.body for the field. */
function received(submission: Submission, name: string): string | string[] | undefined {
  const values = (submission.fields[name] ?? []).map(decodeWire);
  if (values.length === 0) return undefined;
  return values.length === 1 ? values[0] : values;
}

async function post(agent: Agent, url: string, csrfToken: string, submission: Submission): Promise<Response> {
  const fields = bodyOf(submission);
  const body = `_csrf=${encodeURIComponent(csrfToken)}${fields ? `&${fields}` : ''}`;
  // The properties are about bodies the app reads; over-limit bodies have their own tests below.
  if (Buffer.byteLength(body) > FORM_BODY_LIMIT_BYTES) throw new Error(`generated body of ${Buffer.byteLength(body)} bytes is over the limit`);
  return agent.post(url).type('form').send(body);
}

// ---- What the forms accept (formText and formSecret in src/http/validation.ts) -------------------

/** Field lengths are counted in characters (code points), as zod counts them. */
const characters = (value: string): number => [...value].length;
const textFieldIsValid = (value: unknown, max: number): boolean =>
  typeof value === 'string' && characters(value.trim()) >= 1 && characters(value.trim()) <= max;
const secretFieldIsValid = (value: unknown): boolean =>
  typeof value === 'string' && characters(value) >= 1 && characters(value) <= SECRET_MAX;

function invalidFields(submission: Submission, rules: Record<string, (value: unknown) => boolean>): string[] {
  return Object.entries(rules).filter(([name, isValid]) => !isValid(received(submission, name))).map(([name]) => name);
}

/** The fields the page marks with a field error, among the given ones. */
function fieldsMarkedInvalid(html: string, fieldNames: string[]): string[] {
  return fieldNames.filter((name) => html.includes(`data-testid="${name}-error"`));
}

// ---- What must hold for every answer ------------------------------------------------------------

/** Never a server error, and the markup that was sent never comes back live. */
function expectSafeAnswer(res: Response): void {
  expect(res.status).toBeLessThan(500);
  for (const markup of INJECTED_MARKUP) expect(res.text).not.toContain(markup);
}

/** What a page shows again of a typed value: the string cut to the field's length, else nothing. */
const shownAgain = (value: unknown, max: number): string => (typeof value === 'string' ? value.slice(0, max) : '');

/** Cutting may split a surrogate pair; the page, sent as UTF-8, then carries U+FFFD there. */
const asSentInUtf8 = (value: string): string =>
  value.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');

function decodeHtmlAttribute(raw: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
  return raw.replace(/&(?:#(\d+)|#x([0-9a-f]+)|(amp|lt|gt|quot|apos));/gi, (_entity, decimal?: string, hex?: string, name?: string) =>
    decimal ? String.fromCodePoint(Number(decimal)) : hex ? String.fromCodePoint(parseInt(hex, 16)) : named[name!.toLowerCase()]!);
}

/**
 * The input's value attribute holds exactly what was typed, escaped: no raw markup characters, every
 * '&' an entity, and decoded it gives the typed text back. An unescaped quote would end the attribute
 * early and show up as a different value.
 */
function expectShownEscaped(html: string, inputName: string, typed: string): void {
  const match = new RegExp(`<input[^>]*\\sname="${inputName}"[^>]*?\\svalue="([^"]*)"`).exec(html);
  expect(match).not.toBeNull();
  const raw = match![1]!;
  expect(raw).not.toMatch(/[<>']/);
  expect(raw).not.toMatch(/&(?!(?:#\d+|#x[0-9a-f]+|amp|lt|gt|quot|apos);)/i);
  expect(decodeHtmlAttribute(raw)).toBe(asSentInUtf8(typed));
}

function stateOf(t: TestApp) {
  const { db, outbox } = t.context;
  return {
    administrators: db.all<{ id: number }>('SELECT id, user_id, state, failed_login_count, password_hash FROM program_administrators ORDER BY id'),
    accessCodes: db.all('SELECT * FROM access_codes ORDER BY id'),
    passwordResets: db.all('SELECT * FROM password_resets ORDER BY id'),
    emails: outbox.list().length,
  };
}

function namesAnExistingUser(t: TestApp, submission: Submission): boolean {
  const existing = new Set(
    t.context.db.all<{ user_id: string }>('SELECT user_id FROM program_administrators WHERE user_id IS NOT NULL')
      .map((row) => row.user_id.toLowerCase()),
  );
  return (submission.fields.userId ?? []).some((wire) => existing.has(decodeWire(wire).trim().toLowerCase()));
}

function namesAnExistingAccessCode(t: TestApp, submission: Submission): boolean {
  const selectors = new Set(t.context.db.all<{ selector: string }>('SELECT selector FROM access_codes').map((row) => row.selector));
  return (submission.fields.accessCode ?? []).some((wire) => {
    const parts = parseAccessCode(decodeWire(wire));
    return parts !== undefined && selectors.has(parts.selector);
  });
}

// ---- The forms ---------------------------------------------------------------------------------

describe('POST /login with random input', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(APP_OPTIONS); });
  afterAll(() => t.close());

  it('refuses it with 400 and field errors or 401, never a server error, never echoed as markup, no account touched', async () => {
    const login = submissionOf(['userId', 'password']).filter((submission) => !namesAnExistingUser(t, submission));
    await fc.assert(
      fc.asyncProperty(login, async (submission) => {
        const before = stateOf(t);
        const agent = request.agent(t.app);
        const token = await csrfTokenFrom(agent, '/login');
        const res = await post(agent, '/login', token, submission);

        expectSafeAnswer(res);
        expectShownEscaped(res.text, 'userId', shownAgain(received(submission, 'userId'), TEXT_MAX));
        const invalid = invalidFields(submission, {
          userId: (value) => textFieldIsValid(value, TEXT_MAX),
          password: secretFieldIsValid,
        });
        if (invalid.length > 0) {
          expect(res.status).toBe(400);
          expect(fieldsMarkedInvalid(res.text, ['userId', 'password'])).toEqual(invalid);
        } else {
          expect(res.status).toBe(401);
          expect(res.text).toContain('data-error-code="invalid_credentials"');
        }
        expect(stateOf(t)).toEqual(before);
      }),
      PROPERTY_OPTIONS,
    );
  }, PROPERTY_TIMEOUT_MS);
});

describe('POST /register with random input', () => {
  const PROOF_FIELDS = ['verificationPin', 'verificationWord', 'accessCode'];
  const proofRules = {
    verificationPin: (value: unknown) => textFieldIsValid(value, TEXT_MAX),
    verificationWord: (value: unknown) => textFieldIsValid(value, TEXT_MAX),
    accessCode: (value: unknown) => textFieldIsValid(value, TEXT_MAX),
  };

  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(APP_OPTIONS); });
  afterAll(() => t.close());

  /** Step 1 refuses what it cannot check (400) and what does not match (401); step 2 is never reached. */
  function expectProofRefused(res: Response, submission: Submission): void {
    const givesProof = PROOF_FIELDS.some((name) => (submission.fields[name] ?? []).length > 0);
    const invalid = invalidFields(submission, proofRules);
    expect(res.text).toContain('data-testid="register-verify-form"');
    if (!givesProof) {
      expect(res.status).toBe(400);
      expect(res.text).toContain('data-error-code="restart_required"');
      expectShownEscaped(res.text, 'verificationWord', '');
      return;
    }
    expectShownEscaped(res.text, 'verificationWord', shownAgain(received(submission, 'verificationWord'), TEXT_MAX));
    if (invalid.length > 0) {
      expect(res.status).toBe(400);
      expect(res.text).toContain('data-error-code="invalid_input"');
      expect(fieldsMarkedInvalid(res.text, PROOF_FIELDS)).toEqual(invalid);
    } else {
      expect(res.status).toBe(401);
      expect(res.text).toContain('data-error-code="verification_failed"');
    }
  }

  it('step 1 (PIN, word, access code): refused, never a server error, never echoed as markup, nothing changed', async () => {
    const proof = submissionOf(PROOF_FIELDS).filter((submission) => !namesAnExistingAccessCode(t, submission));
    await fc.assert(
      fc.asyncProperty(proof, async (submission) => {
        const before = stateOf(t);
        const agent = request.agent(t.app);
        const token = await csrfTokenFrom(agent, '/register');
        const res = await post(agent, '/register', token, submission);

        expectSafeAnswer(res);
        expectProofRefused(res, submission);
        expect(stateOf(t)).toEqual(before);
      }),
      PROPERTY_OPTIONS,
    );
  }, PROPERTY_TIMEOUT_MS);

  it('all six fields at once: refused at step 1, never a server error, never echoed as markup, nothing changed', async () => {
    const everything = submissionOf([...PROOF_FIELDS, 'userId', 'password', 'confirmPassword'])
      .filter((submission) => !namesAnExistingAccessCode(t, submission));
    await fc.assert(
      fc.asyncProperty(everything, async (submission) => {
        const before = stateOf(t);
        const agent = request.agent(t.app);
        const token = await csrfTokenFrom(agent, '/register');
        const res = await post(agent, '/register', token, submission);

        expectSafeAnswer(res);
        expectProofRefused(res, submission);
        expect(stateOf(t)).toEqual(before);
      }),
      PROPERTY_OPTIONS,
    );
  }, PROPERTY_TIMEOUT_MS);
});

describe('POST /forgot-password with random input', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(APP_OPTIONS); });
  afterAll(() => t.close());

  it('answers 400 with field errors or the same "check your e-mail" page, never a server error, and sends nothing', async () => {
    const forgot = submissionOf(['userId', 'email']).filter((submission) => !namesAnExistingUser(t, submission));
    await fc.assert(
      fc.asyncProperty(forgot, async (submission) => {
        const before = stateOf(t);
        const agent = request.agent(t.app);
        const token = await csrfTokenFrom(agent, '/forgot-password');
        const res = await post(agent, '/forgot-password', token, submission);

        expectSafeAnswer(res);
        const invalid = invalidFields(submission, {
          userId: (value) => textFieldIsValid(value, TEXT_MAX),
          email: (value) => textFieldIsValid(value, EMAIL_MAX),
        });
        if (invalid.length > 0) {
          expect(res.status).toBe(400);
          expect(fieldsMarkedInvalid(res.text, ['userId', 'email'])).toEqual(invalid);
          expectShownEscaped(res.text, 'userId', shownAgain(received(submission, 'userId'), TEXT_MAX));
          expectShownEscaped(res.text, 'email', shownAgain(received(submission, 'email'), EMAIL_MAX));
        } else {
          expect(res.status).toBe(200);
          expect(res.text).toContain('data-testid="forgot-password-sent"');
        }
        expect(stateOf(t)).toEqual(before);
      }),
      PROPERTY_OPTIONS,
    );
  }, PROPERTY_TIMEOUT_MS);
});

describe('POST /reset-password/:token with random input', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(APP_OPTIONS); });
  afterAll(() => t.close());

  const randomToken = fc
    .oneof(
      fc.string({ minLength: 1, maxLength: 100 }),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 60 }),
      fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'), minLength: 43, maxLength: 43 }),
      fragment,
    )
    // "." and ".." are path segments that URLs resolve away, not tokens.
    .filter((token) => token !== '.' && token !== '..');

  it('with a made-up token: 410 "link unusable" whatever the passwords, never a server error, nothing changed', async () => {
    await fc.assert(
      fc.asyncProperty(randomToken, submissionOf(['password', 'confirmPassword']), async (token, submission) => {
        const before = stateOf(t);
        const agent = request.agent(t.app);
        const csrf = await csrfTokenFrom(agent, '/login');
        const res = await post(agent, `/reset-password/${encodeURIComponent(token)}`, csrf, submission);

        expectSafeAnswer(res);
        expect(res.status).toBe(410);
        expect(res.text).toContain('data-error-code="reset_link_unusable"');
        expect(stateOf(t)).toEqual(before);
      }),
      PROPERTY_OPTIONS,
    );
  }, PROPERTY_TIMEOUT_MS);

  /** Requests a reset link for the persona the way a person does, and returns its path. */
  async function freshResetPath(agent: Agent): Promise<string> {
    const token = await csrfTokenFrom(agent, '/forgot-password');
    await agent.post('/forgot-password').type('form')
      .send({ _csrf: token, userId: RESET_USER_ID, email: RESET_EMAIL })
      .expect(200);
    const link = t.context.outbox.list({ type: 'password_reset' }).at(-1);
    return new URL(String(link!.data.resetUrl)).pathname;
  }

  const newPassword = fc.oneof(
    text,
    fc.string({ minLength: 12, maxLength: 64 }),
    fc.string({ unit: 'grapheme', minLength: 12, maxLength: 24 }),
    fc.string({ unit: 'binary', minLength: 12, maxLength: 18 }),
  );
  const passwordAndConfirmation = (password: string, confirmPassword: string): Submission =>
    ({ fields: { password: [encodeURIComponent(password)], confirmPassword: [encodeURIComponent(confirmPassword)] }, stray: [] });
  /** Random fields; the same password twice, so some are accepted; or a confirmation one character off. */
  const resetSubmission = fc.oneof(
    submissionOf(['password', 'confirmPassword']),
    newPassword.map((password) => passwordAndConfirmation(password, password)).filter(fitsTheBodyLimit),
    fc.tuple(newPassword.filter((password) => password.length > 0), fc.nat())
      .map(([password, at]) => {
        const characters = [...password];
        const i = at % characters.length;
        characters[i] = characters[i] === 'x' ? 'y' : 'x';
        return passwordAndConfirmation(password, characters.join(''));
      })
      .filter(fitsTheBodyLimit),
  );

  it('with a real token: 303 exactly when the password is acceptable (and then it works), else 400 with field errors and nothing changed', async () => {
    const hank = () => t.context.db.get<{ id: number; password_hash: string }>(
      'SELECT id, password_hash FROM program_administrators WHERE user_id = ?', RESET_USER_ID)!;
    const hanksOwnWords = personalWords(['Hank', 'Scorpio', 'Globex Corporation']);
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(resetSubmission, async (submission) => {
        const agent = request.agent(t.app);
        const path = await freshResetPath(agent);
        const csrf = await csrfTokenFrom(agent, path);
        const before = stateOf(t);
        const res = await post(agent, path, csrf, submission);

        expectSafeAnswer(res);
        const password = received(submission, 'password');
        const confirmPassword = received(submission, 'confirmPassword');
        let expectedErrors = invalidFields(submission, { password: secretFieldIsValid, confirmPassword: secretFieldIsValid });
        if (expectedErrors.length === 0) {
          expectedErrors = [
            ...(passwordProblem(password as string, RESET_USER_ID, hanksOwnWords) ? ['password'] : []),
            ...(confirmPassword !== password ? ['confirmPassword'] : []),
          ];
        }
        if (expectedErrors.length > 0) {
          expect(res.status).toBe(400);
          expect(res.text).toContain('data-testid="reset-password-form"');
          expect(fieldsMarkedInvalid(res.text, ['password', 'confirmPassword'])).toEqual(expectedErrors);
          expect(stateOf(t)).toEqual(before);
          return;
        }
        accepted += 1;
        expect(res.status).toBe(303);
        expect(res.headers.location).toBe('/login');
        expect(await secretMatches(password as string, hank().password_hash)).toBe(true);
        const after = stateOf(t);
        expect(after.administrators.filter((row) => row.id !== hank().id)).toEqual(before.administrators.filter((row) => row.id !== hank().id));
        expect(after.accessCodes).toEqual(before.accessCodes);
        expect(t.context.db.get('SELECT count(*) AS unused FROM password_resets WHERE pa_id = ? AND used_at IS NULL', hank().id))
          .toEqual({ unused: 0 });
      }),
      PROPERTY_OPTIONS,
    );
    // Both branches must have been exercised for the property to mean anything.
    expect(accepted).toBeGreaterThan(0);
    expect(accepted).toBeLessThan(NUM_RUNS);
  }, PROPERTY_TIMEOUT_MS);
});

describe('bodies over the form limit', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(APP_OPTIONS); });
  afterAll(() => t.close());

  it.each([
    ['/login', 'userId'],
    ['/register', 'verificationWord'],
    ['/forgot-password', 'email'],
    ['/reset-password/made-up-token', 'password'],
  ])('POST %s is refused with 413 one byte over 16 kB, and read at exactly 16 kB', async (url, field) => {
    const agent = request.agent(t.app);
    const csrf = await csrfTokenFrom(agent, '/login');
    const prefix = `_csrf=${encodeURIComponent(csrf)}&${field}=`;
    const before = stateOf(t);

    const over = await agent.post(url).type('form').send(prefix + 'a'.repeat(FORM_BODY_LIMIT_BYTES + 1 - prefix.length));
    expect(over.status).toBe(413);
    expect(over.text).toContain('payload_too_large');

    const atLimit = await agent.post(url).type('form').send(prefix + 'a'.repeat(FORM_BODY_LIMIT_BYTES - prefix.length));
    expect(atLimit.status).not.toBe(413);
    expect(atLimit.status).toBeLessThan(500);
    expect(stateOf(t)).toEqual(before);
  });

  it('refuses a body larger than 16 kB whatever it holds, with 413 and nothing changed', async () => {
    const oversized = fc.tuple(
      fc.constantFrom('/login', '/register', '/forgot-password', '/reset-password/x'),
      fc.string({ unit: 'binary', minLength: 1000, maxLength: 3000 }),
      fc.integer({ min: 1, max: 20_000 }),
    );
    await fc.assert(
      fc.asyncProperty(oversized, async ([url, value, extra]) => {
        const before = stateOf(t);
        const agent = request.agent(t.app);
        const csrf = await csrfTokenFrom(agent, '/login');
        let body = `_csrf=${encodeURIComponent(csrf)}&userId=${encodeURIComponent(value)}&password=`;
        body += 'b'.repeat(Math.max(0, FORM_BODY_LIMIT_BYTES - Buffer.byteLength(body)) + extra);
        const res = await agent.post(url).type('form').send(body);
        expect(res.status).toBe(413);
        expect(stateOf(t)).toEqual(before);
      }),
      { ...PROPERTY_OPTIONS, numRuns: 20 },
    );
  }, PROPERTY_TIMEOUT_MS);
});

describe('paths in any mix of upper and lower case', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(APP_OPTIONS); });
  afterAll(() => t.close());

  /** Paths of both realms, the simulator API and static files; some take an id. */
  const KNOWN_PATHS = [
    '/helpdesk', '/helpdesk/', '/helpdesk/login', '/helpdesk/logout', '/helpdesk/callers', '/helpdesk/callers/1', '/helpdesk/callers/1/verify',
    '/helpdesk/callers/2/permissions', '/helpdesk/escalations', '/helpdesk/staff', '/login', '/logout', '/register', '/forgot-password',
    '/forgot-user-id', '/reset-password/x', '/home', '/cards', '/cards/1', '/transactions', '/help', '/sim', '/sim/login', '/sim/api/health',
    '/static/css/portal.css',
  ];
  const mixedCase = fc.tuple(fc.constantFrom(...KNOWN_PATHS), fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }))
    .map(([path, upper]) => [...path].map((ch, i) => (upper[i] ? ch.toUpperCase() : ch.toLowerCase())).join(''));

  it('never answer 500, to staff, a signed-in PA or anyone, by GET or POST', async () => {
    const staff = request.agent(t.app);
    const page = await staff.get('/helpdesk/login').expect(200);
    const staffToken = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
    await staff.post('/helpdesk/login').type('form')
      .send({ _csrf: staffToken, staffId: 'agent.ava', password: 'Headset-Queue-2026' }).expect(303);
    const anonymous = request.agent(t.app);
    const anonymousToken = await csrfTokenFrom(anonymous, '/login');
    const administrator = request.agent(t.app);
    const loginToken = await csrfTokenFrom(administrator, '/login');
    await administrator.post('/login').type('form').send({ _csrf: loginToken, userId: RESET_USER_ID, password: 'Volcano-Lair-2026' }).expect(303);
    const administratorToken = await csrfTokenFrom(administrator, '/help');
    const who = { staff: [staff, staffToken], administrator: [administrator, administratorToken], anonymous: [anonymous, anonymousToken] } as const;
    await fc.assert(
      fc.asyncProperty(mixedCase, fc.constantFrom(...(Object.keys(who) as Array<keyof typeof who>)), fc.constantFrom('GET', 'POST'), async (path, person, method) => {
        const [agent, token] = who[person];
        const res = method === 'GET' ? await agent.get(path) : await agent.post(path).type('form').send({ _csrf: token });
        expect([path, method, res.status]).toEqual([path, method, expect.any(Number)]);
        expect(res.status).toBeLessThan(500);
        expect(res.text).not.toMatch(/\bat [\w.<>]+ \(|node_modules|\.ts:\d+/);
      }),
      { ...PROPERTY_OPTIONS, numRuns: 300 },
    );
  }, 60_000);

  it('GET /HelpDesk (no session, no login) is a plain 404, not a server error', async () => {
    for (const path of ['/HelpDesk', '/HELPDESK/login', '/Helpdesk/callers/1', '/hElPdEsK/']) {
      const res = await request(t.app).get(path);
      expect([path, res.status]).toEqual([path, 404]);
    }
  });
});
