// Common passwords (and the words they are built on) that pass the length rule but fall first to
// guessing. A password is refused if it is one of these, or one of the base words followed by only
// digits and symbols ("Password1234!").

const COMMON_PASSWORDS = new Set([
  '123456789012', '1234567890123', '12345678901234', '123456123456', '111111111111', '000000000000',
  '123123123123', '121212121212', '987654321098', 'qwertyuiopas', 'qwertyuiop123', 'qwerty123456',
  '1qaz2wsx3edc', '1q2w3e4r5t6y', 'zaq12wsxcde3', 'asdfghjkl123', 'zxcvbnm12345', 'iloveyou1234',
  'password1234', 'passwordpassword', 'letmeinletmein', 'trustno1trustno1', 'abcdefghijkl',
  'abc123abc123', 'aaaaaaaaaaaa', 'correcthorsebatterystaple', 'baseball1234', 'football1234',
  'superman1234', 'princess1234', 'sunshine1234', 'starwars1234', 'whatever1234', 'changeme1234',
  'administrator', 'welcome12345', 'qwertyqwerty', 'monkeymonkey', 'dragondragon', 'masterkey123',
]);

const COMMON_BASE_WORDS = [
  'password', 'passw0rd', 'p@ssword', 'p@ssw0rd', 'qwerty', 'qwertyuiop', 'letmein', 'welcome', 'iloveyou',
  'admin', 'administrator', 'changeme', 'monkey', 'dragon', 'football', 'baseball', 'sunshine', 'princess',
  'superman', 'starwars', 'trustno1', 'whatever', 'master', 'secret', 'abc123', 'abcdef', 'corporate',
  'americanexpress', 'amex', 'atwork', 'globex', 'initech',
];

export function isCommonPassword(password: string): boolean {
  const lower = password.toLowerCase();
  if (COMMON_PASSWORDS.has(lower)) return true;
  const base = lower.replace(/[\d\W_]+$/, '');
  return base.length > 0 && COMMON_BASE_WORDS.includes(base);
}
