// Status tracking numbers: "AW" + 9 digits of sequence + a Luhn check digit over those 9.
import { luhnCheckDigit, passesLuhn } from './luhn';

export const TRACKING_PREFIX = 'AW';
const SEQUENCE_DIGITS = 9;

export function formatTrackingNumber(sequence: number): string {
  const digits = String(sequence).padStart(SEQUENCE_DIGITS, '0');
  if (digits.length !== SEQUENCE_DIGITS) throw new RangeError(`tracking sequence ${sequence} out of range`);
  return `${TRACKING_PREFIX}${digits}${luhnCheckDigit(digits)}`;
}

export type TrackingQuery =
  | { kind: 'full'; trackingNumber: string }
  | { kind: 'bad_check_digit'; trackingNumber: string }
  /** Fewer digits than a whole number: a prefix search. */
  | { kind: 'partial'; prefix: string }
  | { kind: 'invalid' };

/** Reads what a person typed: any case, spaces and dashes anywhere, with or without "AW". */
export function parseTrackingQuery(typed: string): TrackingQuery {
  const compact = typed.replace(/[\s-]/g, '').toUpperCase();
  const digits = compact.startsWith(TRACKING_PREFIX) ? compact.slice(2) : compact;
  if (!/^\d{1,10}$/.test(digits)) return { kind: 'invalid' };
  if (digits.length < SEQUENCE_DIGITS + 1) return { kind: 'partial', prefix: `${TRACKING_PREFIX}${digits}` };
  const trackingNumber = `${TRACKING_PREFIX}${digits}`;
  return passesLuhn(digits)
    ? { kind: 'full', trackingNumber }
    : { kind: 'bad_check_digit', trackingNumber };
}
