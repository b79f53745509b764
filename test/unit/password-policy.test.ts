import fc from 'fast-check';
import { dictionary as commonDictionaries } from '@zxcvbn-ts/language-common';
import { DEFAULT_SCENARIO } from '../../seed/default-scenario';
import { personalWords } from '../../src/features/accounts/common-passwords';
import { passwordProblem } from '../../src/features/accounts/password-policy';

const USER_ID = 'globex.primary';
const TOO_SHORT = /at least 12 characters/;
const TOO_LONG = /at most 64 characters/;
const TOO_MANY_BYTES = /at most 72 bytes/;
const CONTROL_CHARACTER = /control characters/;
const CONTAINS_USER_ID = /User ID/;
const TOO_COMMON = /too common/;
const OWN_NAME = /your own name or your company's name/;

const bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

describe('passwordProblem', () => {
  it('accepts a good 12-character password', () => {
    expect(passwordProblem('Tangerine#42', USER_ID)).toBeUndefined();
  });

  it('accepts a good 64-character password', () => {
    const password = 'Tangerine#42-'.repeat(5).slice(0, 64);
    expect(password).toHaveLength(64);
    expect(passwordProblem(password, USER_ID)).toBeUndefined();
  });

  it('refuses 11 characters', () => {
    expect(passwordProblem('Tangerine#4', USER_ID)).toMatch(TOO_SHORT);
  });

  it('refuses 65 characters', () => {
    const password = 'Tangerine#42-'.repeat(5);
    expect(password).toHaveLength(65);
    expect(passwordProblem(password, USER_ID)).toMatch(TOO_LONG);
  });

  it('refuses a password within 64 characters that takes more than 72 bytes, and says it is the bytes', () => {
    const password = '€'.repeat(20) + 'Abcdefghijklmnopqrst';
    expect([...password]).toHaveLength(40);
    expect(bytes(password)).toBe(80);
    expect(passwordProblem(password, USER_ID)).toMatch(TOO_MANY_BYTES);
  });

  it('accepts exactly 72 bytes and refuses 73', () => {
    expect(bytes('€'.repeat(24))).toBe(72);
    expect(passwordProblem('€'.repeat(24), USER_ID)).toBeUndefined();
    expect(passwordProblem(`${'€'.repeat(24)}a`, USER_ID)).toMatch(TOO_MANY_BYTES);
  });

  it('refuses a password that contains the user ID, in any case', () => {
    expect(passwordProblem('my-globex.primary-99', USER_ID)).toMatch(CONTAINS_USER_ID);
    expect(passwordProblem('My-GLOBEX.Primary-99', USER_ID)).toMatch(CONTAINS_USER_ID);
    expect(passwordProblem('globex.primary', 'GLOBEX.PRIMARY')).toMatch(CONTAINS_USER_ID);
  });

  it.each(['Password1234!', 'qwertyuiop123', 'PASSWORD1234', 'QwertyUiop123', 'correcthorsebatterystaple', 'Welcome2026!!', 'P@ssw0rd2026#'])(
    'refuses the common password %s',
    (password) => {
      expect(passwordProblem(password, USER_ID)).toMatch(TOO_COMMON);
    },
  );

  it.each(['123qweasdzxc', 'q1w2e3r4t5y6', 'qazwsxedcrfv', '1qaz2wsx3edc', 'qwerty123456', '123456qwerty', 'leavemealone'])(
    'refuses %s, from the list of the most common breached passwords',
    (password) => {
      expect(passwordProblem(password, USER_ID)).toMatch(TOO_COMMON);
      expect(passwordProblem(password.toUpperCase(), USER_ID)).toMatch(TOO_COMMON);
    },
  );

  it.each(['345678901234', '987654321098', '121212121212', 'abcabcabcabc', '!!!!!!!!!!!!'])('refuses %s: a digit run or one short piece repeated', (password) => {
    expect(passwordProblem(password, USER_ID)).toMatch(TOO_COMMON);
  });

  it('checks against at least the 10,000 most common breached passwords', () => {
    const list = commonDictionaries['passwords-common'];
    expect(list.length).toBeGreaterThanOrEqual(10_000);
    const longEnough = list.slice(0, 10_000).filter((password) => [...password].length >= 12 && !password.includes(USER_ID));
    expect(longEnough.length).toBeGreaterThan(20);
    for (const password of longEnough) expect([password, passwordProblem(password, USER_ID)]).toEqual([password, expect.stringMatching(TOO_COMMON)]);
  });

  it.each([
    ['Summer2026!!', 'a season with the year and symbols'],
    ['Michael12345', 'a common name with digits'],
    ['December-2026', 'a month with the year'],
    ['P@ssw0rd#2026', 'a common password in l33t'],
    ['5ummer-2026!', 'l33t at the start'],
    ['!!Dragon2026!!', 'symbols on both sides'],
    ['monkeymonkey12', 'a common word twice'],
    ['Jennifer@1990', 'a first name with a year'],
  ])('refuses %s (%s): the base word is common', (password) => {
    expect(passwordProblem(password, USER_ID)).toMatch(TOO_COMMON);
  });

  it("refuses a password built on the user's own name or their company's name, and says so", () => {
    const own = personalWords(['Hank', 'Scorpio', 'Globex Corporation']);
    expect(passwordProblem('Scorpio!2026##', USER_ID, own)).toMatch(OWN_NAME);
    expect(passwordProblem('Hank-Scorpio-Rules', USER_ID, own)).toMatch(OWN_NAME);
    expect(passwordProblem('my-Gl0bex-card-2026', USER_ID, own)).toMatch(OWN_NAME);
    expect(passwordProblem('hankhankhank', USER_ID, own)).toMatch(OWN_NAME);
    // "Corporation" says nothing of which company, and another person's name is no clue.
    expect(passwordProblem('Corporation-Tundra-77', USER_ID, own)).toBeUndefined();
    expect(passwordProblem('Lumbergh-Stapler-99', USER_ID, own)).toBeUndefined();
    expect(passwordProblem('Lumbergh-Stapler-99', 'initech.primary', personalWords(['Bill', 'Lumbergh', 'Initech LLC']))).toMatch(OWN_NAME);
  });

  it('keeps every seeded persona password, and passphrases made of ordinary words, acceptable', () => {
    const companies = new Map(DEFAULT_SCENARIO.companies.map((c) => [c.key, c.name]));
    for (const pa of DEFAULT_SCENARIO.programAdministrators) {
      const own = personalWords([pa.firstName, pa.lastName, companies.get(pa.company) ?? pa.company]);
      expect([pa.userId, passwordProblem(pa.password, pa.userId, own)]).toEqual([pa.userId, undefined]);
    }
    for (const password of ['Volcano-Lair-2026', 'Tangerine#42', 'Brand-New-Ledger-77', 'correct horse battery', 'Second-Volcano-Base-9']) {
      expect([password, passwordProblem(password, USER_ID)]).toEqual([password, undefined]);
    }
  });

  it.each([
    ['NUL', '\u0000'],
    ['tab', '\t'],
    ['line feed', '\n'],
    ['carriage return', '\r'],
    ['escape', '\u001b'],
    ['unit separator', '\u001f'],
    ['delete', '\u007f'],
  ])('refuses a control character (%s)', (_label, control) => {
    expect(passwordProblem(`Tangerine#42${control}x`, USER_ID)).toMatch(CONTROL_CHARACTER);
    expect(passwordProblem(`${control}Tangerine#42`, USER_ID)).toMatch(CONTROL_CHARACTER);
  });

  it.each([
    ['padding character, U+0080', '\u0080'],
    ['next line, U+0085', '\u0085'],
    ['application program command, U+009F', '\u009f'],
  ])('refuses a C1 control character (%s), which Unicode counts as a control character too', (_label, control) => {
    expect(passwordProblem(`Tangerine#42${control}x`, USER_ID)).toMatch(CONTROL_CHARACTER);
  });

  it('counts characters by code point: 12 emoji are 12 characters, 11 are too few', () => {
    const twelve = '😀'.repeat(12);
    expect(twelve).toHaveLength(24);
    expect(passwordProblem(twelve, USER_ID)).toBeUndefined();
    expect(passwordProblem('😀'.repeat(11), USER_ID)).toMatch(TOO_SHORT);
  });

  describe('properties', () => {
    const astralCharacter = fc.integer({ min: 0x1f300, max: 0x1faff }).map((cp) => String.fromCodePoint(cp));

    it('judges n four-byte characters by their count, then by their 4n bytes', () => {
      fc.assert(
        fc.property(fc.array(astralCharacter, { minLength: 1, maxLength: 80 }), (chars) => {
          const password = chars.join('');
          const problem = passwordProblem(password, USER_ID);
          if (chars.length < 12) expect(problem).toMatch(TOO_SHORT);
          else if (chars.length > 64) expect(problem).toMatch(TOO_LONG);
          else if (chars.length * 4 > 72) expect(problem).toMatch(TOO_MANY_BYTES);
          else expect(problem).toBeUndefined();
        }),
        { numRuns: 300 },
      );
    });

    it('never accepts a password of more than 72 bytes', () => {
      fc.assert(
        fc.property(fc.string({ unit: 'binary', minLength: 19, maxLength: 100 }).filter((p) => bytes(p) > 72), (password) => {
          expect(passwordProblem(password, USER_ID)).toBeDefined();
        }),
        { numRuns: 300 },
      );
    });

    it('never accepts a password with a control character in it', () => {
      const control = fc.oneof(fc.integer({ min: 0, max: 0x1f }), fc.constant(0x7f)).map((cp) => String.fromCharCode(cp));
      fc.assert(
        fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), control, fc.string({ unit: 'grapheme', maxLength: 40 }), (before, ch, after) => {
          expect(passwordProblem(`${before}${ch}${after}`, USER_ID)).toBeDefined();
        }),
        { numRuns: 300 },
      );
    });

    it('never accepts a password that contains the user ID, however it is cased', () => {
      const userId = fc.stringMatching(/^[A-Za-z0-9._-]{6,32}$/);
      fc.assert(
        fc.property(userId, fc.string({ maxLength: 20 }), fc.string({ maxLength: 20 }), fc.boolean(), (id, before, after, upper) => {
          const password = `${before}${upper ? id.toUpperCase() : id.toLowerCase()}${after}`;
          expect(passwordProblem(password, id)).toBeDefined();
        }),
        { numRuns: 300 },
      );
    });
  });
});
