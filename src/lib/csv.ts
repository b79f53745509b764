// CSV as spreadsheets read it: RFC 4180 quoting, no field taken for a formula, UTF-8 announced.

/** One CSV field: quoted when needed, and never read as a formula by a spreadsheet. */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One CSV line of fields, with the CRLF RFC 4180 asks for. */
export function csvRecord(values: readonly string[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

/** Excel and others read a CSV as UTF-8 only when it starts with a byte order mark; without it "••••" comes out garbled. */
export const UTF8_BOM = '\uFEFF';
