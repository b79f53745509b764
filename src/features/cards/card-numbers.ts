// Test card numbers: 15 digits starting 37, Luhn-valid, issued from a per-sandbox sequence.
import type { Database } from '../../db/database';
import { luhnCheckDigit } from '../../lib/luhn';
import { nextSequenceValue } from '../transactions/transactions.repository';

const CARD_SEQUENCE_START = 1_000_001;

/** "37" + a 4-digit program prefix + 8 digits of sequence + the Luhn check digit. */
export function formatCardNumber(programPrefix: number, sequence: number): string {
  const body = `37${String(programPrefix % 10_000).padStart(4, '0')}${String(sequence).padStart(8, '0')}`;
  return `${body}${luhnCheckDigit(body)}`;
}

export function issueCardNumber(db: Database, companyId: number): string {
  return formatCardNumber(4000 + companyId, nextSequenceValue(db, 'card_number', CARD_SEQUENCE_START));
}

export function maskCardNumber(cardNumber: string): string {
  return `•••• ${cardNumber.slice(-5)}`;
}
