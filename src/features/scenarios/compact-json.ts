// JSON for people to read and diff: a value that fits on one line stays on one, larger ones are
// broken up by member, so a scenario file reads as one line per card, charge or request.
const LINE_WIDTH = 140;

export function compactJson(value: unknown, indent = ''): string {
  const flat = JSON.stringify(value);
  if (flat === undefined) return 'null';
  if (value === null || typeof value !== 'object' || indent.length + flat.length <= LINE_WIDTH) return flat;
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((item) => `${inner}${compactJson(item, inner)}`).join(',\n')}\n${indent}]`;
  }
  const members = Object.entries(value).filter(([, member]) => member !== undefined);
  if (members.length === 0) return '{}';
  return `{\n${members.map(([name, member]) => `${inner}${JSON.stringify(name)}: ${compactJson(member, inner)}`).join(',\n')}\n${indent}}`;
}
