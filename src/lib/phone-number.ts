// Phone numbers a text can be sent to. Texts go to E.164 numbers ("+15555550142"); a phone on file
// may have been written for people to read ("555-010-1001", "(555) 010 9999") by the help desk,
// so it is read as a North American number when it has no country code: the portal serves US programs.

/** "+" and 8 to 15 digits: the form scenarios write a phone in, and the one texts are addressed to. */
export const E164_PHONE = /^\+\d{8,15}$/;

const SEPARATORS = /[\s().-]/g;
const NANP_DIGITS = 10;

/** The E.164 form of a phone on file, or undefined when there is none or no text could reach it. */
export function textablePhone(phone: string | null | undefined): string | undefined {
  if (!phone) return undefined;
  const compact = phone.replace(SEPARATORS, '');
  if (E164_PHONE.test(compact)) return compact;
  if (/^\d+$/.test(compact)) {
    if (compact.length === NANP_DIGITS) return `+1${compact}`;
    if (compact.length === NANP_DIGITS + 1 && compact.startsWith('1')) return `+${compact}`;
  }
  return undefined;
}

/** A number as a page may show it to its owner: enough to recognise ("•••• 0142"), too little to learn. */
export function maskPhone(e164: string): string {
  return `•••• ${e164.slice(-4)}`;
}
