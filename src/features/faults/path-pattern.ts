// Fault path patterns: "*" matches any run of characters ("/" included), everything else itself.

/**
 * Whether `path` matches `pattern`, in at most (path.length + 1) × (pattern.length + 1) steps.
 *
 * A regular expression built from the pattern (each "*" a ".*") backtracks through every way of
 * splitting the path between the stars: "/*a*a*a*b" against 500 characters held the process for
 * 16 s, and with it every sandbox. This is the greedy two-pointer wildcard match instead.
 *
 * Why it is right: with "*" the only wildcard, once the literals after a star have been matched at
 * the leftmost place they fit, no later failure is helped by trying an earlier star differently;
 * the rest of the pattern is free to start at any later position anyway, and the leftmost fit
 * leaves it the most text. So on a mismatch only the most recent star is tried again, one
 * character further on.
 *
 * Why it is bounded: each step either advances `p` and `t` together, or moves `p` past a star,
 * or restarts at the most recent star with `starT` one further on. `starT` only grows and never
 * passes path.length, and between two restarts `p` advances at most pattern.length times, so the
 * loop runs at most (path.length + 1) × (pattern.length + 1) times: linear in the path for a
 * pattern of bounded length (the API takes at most 200 characters).
 */
export function matchesPathPattern(pattern: string, path: string): boolean {
  let p = 0;
  let t = 0;
  /** The pattern index just after the most recent star, or -1 before any star. */
  let afterStar = -1;
  /** Where in the path the most recent star's run ends for now. */
  let starT = 0;
  while (t < path.length) {
    if (p < pattern.length && pattern[p] === '*') {
      afterStar = p + 1;
      starT = t;
      p += 1;
    } else if (p < pattern.length && pattern[p] === path[t]) {
      p += 1;
      t += 1;
    } else if (afterStar !== -1) {
      starT += 1;
      t = starT;
      p = afterStar;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') p += 1;
  return p === pattern.length;
}
