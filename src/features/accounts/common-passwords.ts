// Passwords that pass the length rule but fall first to guessing. The list is the one zxcvbn-ts
// ships and keeps up to date (@zxcvbn-ts/language-common's `passwords-common`: about 49,000
// passwords seen in public breach dumps, most common first), with English first names from
// @zxcvbn-ts/language-en. A list alone misses the usual disguises of a common word ("Summer2026!!",
// "Michael12345", "P@ssw0rd#1"), so, as zxcvbn does, the password is also reduced to its base word
// (lower case, digits and symbols around it dropped, l33t undone) and the base word is looked up.
import { dictionary as commonDictionaries } from '@zxcvbn-ts/language-common';
// Only the first names, from the source lists the package ships: its index would also unpack some
// 180,000 English words and surnames this check does not use, about 200 ms at every start. The path
// is inside the package, not its public entry, so package.json pins the exact version.
import englishFirstNames from '@zxcvbn-ts/language-en/src/firstnames.json';

const BREACHED_PASSWORDS = commonDictionaries['passwords-common'];
/** A password on the list, whatever its case, is refused. */
const ON_THE_LIST = new Set(BREACHED_PASSWORDS);
/**
 * This file's first, hand-made list: famous long passwords (the xkcd comic's among them) and digit
 * runs and keyboard rows that the breach list lacks at this length.
 */
const WELL_KNOWN_PASSWORDS = new Set([
  '123456789012', '1234567890123', '12345678901234', '123456123456', '111111111111', '000000000000',
  '123123123123', '121212121212', '987654321098', 'qwertyuiopas', 'qwertyuiop123', 'qwerty123456',
  '1qaz2wsx3edc', '1q2w3e4r5t6y', 'zaq12wsxcde3', 'asdfghjkl123', 'zxcvbnm12345', 'iloveyou1234',
  'password1234', 'passwordpassword', 'letmeinletmein', 'trustno1trustno1', 'abcdefghijkl',
  'abc123abc123', 'aaaaaaaaaaaa', 'correcthorsebatterystaple', 'baseball1234', 'football1234',
  'superman1234', 'princess1234', 'sunshine1234', 'starwars1234', 'whatever1234', 'changeme1234',
  'administrator', 'welcome12345', 'qwertyqwerty', 'monkeymonkey', 'dragondragon', 'masterkey123',
]);
/**
 * A password that is one short piece over and over ("121212121212", "abcabcabcabc") is no stronger
 * than the piece. Kept to the keyboard's ASCII, where guessers' repeat rules work; a dozen emoji
 * stay acceptable, as the policy's tests require.
 */
const REPEATED_PIECE = /^([\x20-\x7e]{1,3})\1+$/;
/** Digits counting up or down ("345678901234", "987654321098"): the first thing a guesser tries. */
function isDigitRun(text: string): boolean {
  if (!/^\d+$/.test(text)) return false;
  const step = (Number(text[1]) - Number(text[0]) + 10) % 10;
  if (step !== 1 && step !== 9) return false;
  for (let i = 1; i < text.length; i += 1) if ((Number(text[i]) - Number(text[i - 1]) + 10) % 10 !== step) return false;
  return true;
}
/**
 * Base words a guesser tries first with digits and symbols around them: the 10,000 most common
 * breached passwords (the rest of the list holds ordinary words such as "tangerine", which would
 * refuse good passphrases), first names, the calendar's words, and this portal's own names.
 */
const COMMON_BASE_WORDS = new Set([
  ...BREACHED_PASSWORDS.slice(0, 10_000),
  ...englishFirstNames,
  'january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december',
  'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday', 'spring', 'summer', 'autumn', 'winter',
  'americanexpress', 'amex', 'atwork', 'corporate', 'globex', 'initech', 'abc', 'abcdef',
]);

/** Words of a company's name that say nothing of which company it is. */
const GENERIC_COMPANY_WORDS = new Set(['corporation', 'corp', 'company', 'incorporated', 'inc', 'llc', 'ltd', 'limited', 'group', 'holdings', 'the']);
/**
 * A user's own words as short as this are refused only as the whole base word: contained in a
 * longer one they would refuse many unrelated passwords ("Ava" in "Lavalamp").
 */
const CONTAINED_WORD_MIN_LENGTH = 4;

/** Look-alike characters, as typed in place of letters. '1' is tried as both 'i' and 'l'. */
const LEET: Record<string, string> = { '@': 'a', '4': 'a', '8': 'b', '(': 'c', '3': 'e', '6': 'g', '9': 'g', '!': 'i', '|': 'l', '0': 'o', '$': 's', '5': 's', '7': 't', '+': 't', '2': 'z' };

/** Digits, symbols, spaces and emoji around the letters: what a guesser appends to a word. */
const NOT_A_LETTER_AT_THE_ENDS = /^\P{L}+|\P{L}+$/gu;
const stripEnds = (text: string): string => text.replace(NOT_A_LETTER_AT_THE_ENDS, '');
const stripStart = (text: string): string => text.replace(/^\P{L}+/u, '');
const stripEnd = (text: string): string => text.replace(/\P{L}+$/u, '');

function unLeet(text: string, one: 'i' | 'l'): string {
  return [...text].map((ch) => (ch === '1' ? one : LEET[ch] ?? ch)).join('');
}

/** "Summer2026!!" → "summer"; "P@ssw0rd#1" → "password"; "summersummer" → "summer" too. */
function baseWords(password: string): Set<string> {
  const lower = password.toLowerCase();
  const bases = new Set<string>();
  // One end is stripped before undoing l33t and the other after: "p@ssw0rd99" keeps its "@" and "0"
  // inside, while "5ummer2026!" needs its "5" read as a letter and its "2026!" dropped.
  const candidates = [stripEnds(lower), ...(['i', 'l'] as const).flatMap((one) => [
    stripEnds(unLeet(stripEnds(lower), one)), stripEnds(unLeet(stripEnd(lower), one)), stripEnds(unLeet(stripStart(lower), one)),
  ])];
  for (const base of candidates) {
    if (base === '') continue;
    bases.add(base);
    const repeated = /^(.+?)\1+$/u.exec(base);
    if (repeated) bases.add(repeated[1]!);
  }
  return bases;
}

/** The user's and their company's names, lower case, as words to keep out of their password. */
export function personalWords(names: ReadonlyArray<string | null | undefined>): string[] {
  return names
    .flatMap((name) => (name ?? '').toLowerCase().split(/[^\p{L}\p{N}]+/u))
    .filter((word) => word.length >= 2 && !GENERIC_COMPANY_WORDS.has(word));
}

export type PasswordCommonness = 'common' | 'personal' | undefined;

/** Whether the password is a common one (or a disguised common word), or built on the user's own words. */
export function commonness(password: string, ownWords: readonly string[] = []): PasswordCommonness {
  const lower = password.toLowerCase();
  const bases = baseWords(password);
  // The user's own words first: "Scorpio2026!" is common too, but the name is the better reason.
  const letters = stripEnds(unLeet(lower, 'i')).replace(/\P{L}+/gu, '');
  for (const word of ownWords) {
    if (bases.has(word)) return 'personal';
    if (word.length >= CONTAINED_WORD_MIN_LENGTH && (lower.includes(word) || letters.includes(word))) return 'personal';
  }
  if (ON_THE_LIST.has(lower) || WELL_KNOWN_PASSWORDS.has(lower) || REPEATED_PIECE.test(lower) || isDigitRun(lower)) return 'common';
  for (const base of bases) if (COMMON_BASE_WORDS.has(base)) return 'common';
  return undefined;
}
