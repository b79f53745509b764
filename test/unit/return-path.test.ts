import { safeReturnPath } from '../../src/lib/return-path';

describe('safeReturnPath', () => {
  it.each(['/cards/3', '/transactions?status=completed&page=2', '/cards/3#charges', '/transactions/AW0000000018', '/home'])(
    'accepts the path on this origin %s', (path) => {
      expect(safeReturnPath(path)).toBe(path);
    });

  it.each([
    ['another host by two slashes', '//evil.example/cards'],
    ['another host by slash and backslash', '/\\evil.example'],
    ['a backslash anywhere', '/cards\\..\\evil'],
    ['an absolute URL', 'https://evil.example/home'],
    ['a scheme', 'javascript:alert(1)'],
    ['a relative path', 'cards/3'],
    ['a tab a browser strips', '/\t/evil.example'],
    ['a newline', '/cards/3\r\nSet-Cookie: x=1'],
    ['a NUL', '/cards\u00003'],
    ['a space', '/ /evil.example'],
    ['a line separator', '/cards\u2028'],
    ['the sign-in page', '/login?returnTo=/login'],
    ['the sign-out action', '/logout'],
    ['nothing', ''],
    ['not a string', ['/cards/3']],
    ['too long', `/${'a'.repeat(2_000)}`],
  ])('refuses %s', (_why, value) => {
    expect(safeReturnPath(value)).toBeUndefined();
  });
});
