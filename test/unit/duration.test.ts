import { parseDuration } from '../../src/lib/duration';

describe('parseDuration', () => {
  it.each([
    ['90m', 90 * 60_000],
    ['121d', 121 * 86_400_000],
    ['1h30m', 90 * 60_000],
    ['2w', 14 * 86_400_000],
    ['45s', 45_000],
    ['P121D', 121 * 86_400_000],
    ['PT90M', 90 * 60_000],
    ['P1DT2H', 26 * 3_600_000],
    ['P1W', 7 * 86_400_000],
  ])('reads %s', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', 'abc', '12', '-5m', 'P', 'PT', '5 parsecs', '1d2'])('refuses %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});
