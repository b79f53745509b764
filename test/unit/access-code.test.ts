import fc from 'fast-check';
import { generateAccessCode, parseAccessCode } from '../../src/features/accounts/access-code';

const ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
const CODE_SHAPE = /^[23456789ABCDEFGHJKLMNPQRSTUVWXYZ]{4}-[23456789ABCDEFGHJKLMNPQRSTUVWXYZ]{4}-[23456789ABCDEFGHJKLMNPQRSTUVWXYZ]{4}$/;

describe('generateAccessCode', () => {
  it('gives XXXX-XXXX-XXXX over the alphabet without look-alike characters', () => {
    for (let i = 0; i < 200; i += 1) {
      expect(generateAccessCode()).toMatch(CODE_SHAPE);
    }
  });

  it('gives a different code on every call', () => {
    const codes = Array.from({ length: 500 }, () => generateAccessCode());
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('uses every character of the alphabet, and no other', () => {
    const seen = new Set(Array.from({ length: 1000 }, () => generateAccessCode().replace(/-/g, '')).join(''));
    expect([...seen].sort().join('')).toBe([...ALPHABET].sort().join(''));
  });

  it('gives codes that parse back into their selector and verifier', () => {
    const code = generateAccessCode();
    expect(parseAccessCode(code)).toEqual({ selector: code.slice(0, 4), verifier: code.slice(5, 9) + code.slice(10) });
  });
});

describe('parseAccessCode', () => {
  it('reads a code typed in any case, with spaces and dashes', () => {
    expect(parseAccessCode('gpnd 7k3m-q9rt')).toEqual({ selector: 'GPND', verifier: '7K3MQ9RT' });
    expect(parseAccessCode('GPND-7K3M-Q9RT')).toEqual({ selector: 'GPND', verifier: '7K3MQ9RT' });
    expect(parseAccessCode('GPND7K3MQ9RT')).toEqual({ selector: 'GPND', verifier: '7K3MQ9RT' });
    expect(parseAccessCode('  g-p-n-d 7 k 3 m\tq9rt\n')).toEqual({ selector: 'GPND', verifier: '7K3MQ9RT' });
  });

  it.each([
    ['empty', ''],
    ['only separators', ' - - '],
    ['11 characters', 'GPND-7K3M-Q9R'],
    ['13 characters', 'GPND-7K3M-Q9RTX'],
    ['24 characters', 'GPND-7K3M-Q9RT-GPND-7K3M-Q9RT'],
  ])('refuses a code of the wrong length (%s)', (_label, typed) => {
    expect(parseAccessCode(typed)).toBeUndefined();
  });

  it.each([
    ['zero', 'GPND-7K3M-Q9R0'],
    ['letter O', 'GPND-7K3M-Q9RO'],
    ['lower-case o', 'gpnd-7k3m-q9ro'],
    ['one', 'GPND-7K3M-Q9R1'],
    ['letter I', 'GPND-7K3M-Q9RI'],
    ['lower-case i', 'gpnd-7k3m-q9ri'],
    ['a dot', 'GPND-7K3M-Q9R.'],
    ['an underscore', 'GPND_7K3M-Q9RT'],
    ['a slash', 'GPND-7K3M-Q9R/'],
    ['an en dash as separator', 'GPND–7K3M–Q9RT'],
    ['an accented letter', 'GPND-7K3M-Q9RÉ'],
    ['a full-width letter', 'GPND-7K3M-Q9RＴ'],
    ['an Arabic-Indic digit', 'GPND-7K3M-Q9R٣'],
    ['an emoji', 'GPND-7K3M-Q9R😀'],
    ['a NUL character', 'GPND-7K3M-Q9R\u0000'],
  ])('refuses a character outside the alphabet (%s)', (_label, typed) => {
    expect(parseAccessCode(typed)).toBeUndefined();
  });

  it.each([
    ["'ſ' (long s), which upper-cases to 'S'", 'GPND-7K3M-Q9Rſ'],
    ["'ß', which upper-cases to 'SS'", 'GPND-7K3M-Q9ß'],
    ["'ﬀ', which upper-cases to 'FF'", 'GPND-7K3M-Q9ﬀ'],
  ])('refuses a non-ASCII letter even when upper-casing turns it into alphabet letters: %s', (_label, typed) => {
    expect(parseAccessCode(typed)).toBeUndefined();
  });

  const alphabetCharacter = fc.constantFrom(...ALPHABET);
  const anyCode = fc.array(alphabetCharacter, { minLength: 12, maxLength: 12 }).map((chars) => chars.join(''));
  const separator = fc.constantFrom('', '', '', ' ', '-', '  ', '\t', ' - ', '--');

  it('reads back every code however it is typed: case, spaces and dashes anywhere', () => {
    fc.assert(
      fc.property(
        anyCode,
        fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
        fc.array(separator, { minLength: 13, maxLength: 13 }),
        (code, lowerCase, separators) => {
          const typed = [...code].map((ch, i) => separators[i]! + (lowerCase[i] ? ch.toLowerCase() : ch)).join('') + separators[12]!;
          expect(parseAccessCode(typed)).toEqual({ selector: code.slice(0, 4), verifier: code.slice(4) });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('reads back every generated code in its usual typed forms', () => {
    const typedForm = fc.constantFrom<(code: string) => string>(
      (code) => code,
      (code) => code.toLowerCase(),
      (code) => code.replace(/-/g, ''),
      (code) => code.replace(/-/g, ' '),
      (code) => ` ${code.toLowerCase().replace(/-/g, '  ')} `,
    );
    fc.assert(
      fc.property(typedForm, (typedAs) => {
        const code = generateAccessCode();
        expect(parseAccessCode(typedAs(code))).toEqual({ selector: code.slice(0, 4), verifier: code.slice(5, 9) + code.slice(10) });
      }),
      { numRuns: 100 },
    );
  });

  it('refuses a code in which any one character is replaced by an ASCII character outside the alphabet', () => {
    const outside = fc
      .integer({ min: 0, max: 0x7f })
      .map((cp) => String.fromCharCode(cp))
      .filter((ch) => !ALPHABET.includes(ch.toUpperCase()) && !/[\s-]/.test(ch));
    fc.assert(
      fc.property(anyCode, fc.integer({ min: 0, max: 11 }), outside, (code, at, ch) => {
        const typed = code.slice(0, at) + ch + code.slice(at + 1);
        expect(parseAccessCode(typed)).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });

  it('refuses a code in which any one character is replaced by a non-ASCII character', () => {
    const caseMappingTraps = fc.constantFrom('ſ', 'ß', 'ﬀ', 'ﬆ', 'ı', 'İ', '\u212a', 'Ａ', 'Ｇ');
    const nonAscii = fc
      .oneof(caseMappingTraps, fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }))
      // Unicode spaces are separators, like the ASCII space.
      .filter((ch) => ch.codePointAt(0)! > 0x7f && !/\s/.test(ch));
    fc.assert(
      fc.property(anyCode, fc.integer({ min: 0, max: 11 }), nonAscii, (code, at, ch) => {
        expect(parseAccessCode(code.slice(0, at) + ch + code.slice(at + 1))).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });
});
