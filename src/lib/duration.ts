// Parses the durations QA scripts send to the clock: "90m", "121d", "1h30m" or ISO-8601 "P121D", "PT90M".

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

const SHORT_FORM = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/;
const ISO_FORM = /^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** Returns milliseconds, or undefined when the text is not a duration we understand. */
export function parseDuration(text: string): number | undefined {
  const input = text.trim();
  if (input.startsWith('P')) return parseIsoDuration(input);
  let rest = input.toLowerCase();
  if (rest === '') return undefined;
  let total = 0;
  while (rest.length > 0) {
    const match = SHORT_FORM.exec(rest);
    if (!match) return undefined;
    total += Number(match[1]) * UNIT_MS[match[2] as string]!;
    rest = rest.slice(match[0].length).trimStart();
  }
  return Math.round(total);
}

function parseIsoDuration(input: string): number | undefined {
  const match = ISO_FORM.exec(input);
  if (!match || input === 'P' || input.endsWith('T')) return undefined;
  const [, weeks, days, hours, minutes, seconds] = match.map((part) => (part === undefined ? 0 : Number(part)));
  return Math.round(
    (weeks ?? 0) * UNIT_MS.w! + (days ?? 0) * UNIT_MS.d! + (hours ?? 0) * UNIT_MS.h! +
      (minutes ?? 0) * UNIT_MS.m! + (seconds ?? 0) * UNIT_MS.s!,
  );
}
