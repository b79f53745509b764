import fc from 'fast-check';
import { passesLuhn } from '../../src/lib/luhn';
import { formatTrackingNumber, parseTrackingQuery } from '../../src/lib/tracking-number';
import { formatCardNumber } from '../../src/features/cards/card-numbers';
import { addBusinessDays } from '../../src/lib/business-days';
import { formatCents, parseDollars } from '../../src/lib/money';

describe('tracking numbers', () => {
  it('are AW, nine digits of sequence and a Luhn check digit', () => {
    const number = formatTrackingNumber(300_100_001);
    expect(number).toMatch(/^AW\d{10}$/);
    expect(number.slice(2, 11)).toBe('300100001');
    expect(passesLuhn(number.slice(2))).toBe(true);
    expect(formatTrackingNumber(1)).toBe(`AW000000001${formatTrackingNumber(1).slice(-1)}`);
  });

  it('are read in any case, with spaces or dashes, with or without AW', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 999_999_999 }), fc.constantFrom('', ' ', '-', ' - '), fc.boolean(), (sequence, separator, lower) => {
      const number = formatTrackingNumber(sequence);
      const spelled = `${number.slice(0, 2)}${separator}${number.slice(2, 6)}${separator}${number.slice(6)}`;
      expect(parseTrackingQuery(lower ? spelled.toLowerCase() : spelled)).toEqual({ kind: 'full', trackingNumber: number });
      expect(parseTrackingQuery(number.slice(2))).toEqual({ kind: 'full', trackingNumber: number });
    }));
  });

  it('with any single digit changed fail the check digit', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 999_999_999 }), fc.integer({ min: 2, max: 11 }), fc.integer({ min: 1, max: 9 }), (sequence, position, delta) => {
      const number = formatTrackingNumber(sequence);
      const digit = (Number(number[position]) + delta) % 10;
      const typo = `${number.slice(0, position)}${digit}${number.slice(position + 1)}`;
      expect(parseTrackingQuery(typo).kind).toBe('bad_check_digit');
    }));
  });

  it('shorter than ten digits are a prefix search; anything else is invalid', () => {
    expect(parseTrackingQuery('aw 3001')).toEqual({ kind: 'partial', prefix: 'AW3001' });
    expect(parseTrackingQuery('AW')).toEqual({ kind: 'invalid' });
    expect(parseTrackingQuery('AW12345678901')).toEqual({ kind: 'invalid' });
    expect(parseTrackingQuery('XY3001000011')).toEqual({ kind: 'invalid' });
    expect(parseTrackingQuery("AW3001' OR 1=1")).toEqual({ kind: 'invalid' });
  });
});

describe('card numbers', () => {
  it('are 15 Luhn-valid digits starting 37', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 99_999_999 }), (prefix, sequence) => {
      const number = formatCardNumber(prefix, sequence);
      expect(number).toMatch(/^37\d{13}$/);
      expect(passesLuhn(number)).toBe(true);
    }));
  });
});

describe('business days', () => {
  it('skip weekends', () => {
    const friday = Date.parse('2026-03-06T10:00:00Z');
    expect(new Date(addBusinessDays(friday, 1)).toISOString()).toBe('2026-03-09T10:00:00.000Z');
    expect(new Date(addBusinessDays(friday, 3)).toISOString()).toBe('2026-03-11T10:00:00.000Z');
    const saturday = Date.parse('2026-03-07T10:00:00Z');
    expect(new Date(addBusinessDays(saturday, 1)).toISOString()).toBe('2026-03-09T10:00:00.000Z');
  });
});

describe('money', () => {
  it('reads dollars as people type them and refuses the rest', () => {
    expect(parseDollars('7500')).toBe(750_000);
    expect(parseDollars('$1,250.5')).toBe(125_050);
    expect(parseDollars(' 0.99 ')).toBe(99);
    for (const bad of ['', 'abc', '1.234', '-5', '1e5', '12345678901']) expect(parseDollars(bad)).toBeUndefined();
  });

  it('formats cents as dollars, with thousands separated as en-US does', () => {
    expect(formatCents(125_050)).toBe('$1,250.50');
    expect(formatCents(5)).toBe('$0.05');
    expect(formatCents(-123_456_789_01)).toBe('-$123,456,789.01');
    for (const cents of [0, 99, 100_000, 99_999_999, 100_000_000, 123_456_789_012]) {
      expect(formatCents(cents)).toBe(`$${Math.floor(cents / 100).toLocaleString('en-US')}.${String(cents % 100).padStart(2, '0')}`);
    }
  });
});
