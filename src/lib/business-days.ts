// Business days (Monday to Friday, UTC): how long back-office work on a request takes.
const DAY_MS = 86_400_000;

export function addBusinessDays(fromMs: number, days: number): number {
  let at = fromMs;
  let left = days;
  while (left > 0) {
    at += DAY_MS;
    const weekday = new Date(at).getUTCDay();
    if (weekday !== 0 && weekday !== 6) left -= 1;
  }
  return at;
}
