// The Status Tracking Overview's pages the bench measures: which ones, and the target they are held to.
import Database from 'better-sqlite3';

/** A page's target against the overview's first page, and whether it meets it (half a millisecond allowed for autocannon's whole-ms p50). */
export const NEAR_FIRST_PAGE = 'p50 within 20% of the first page';
export const nearFirstPage = (page: { p50: number }, first: { p50: number }) => page.p50 <= first.p50 * 1.2 + 0.5;

/** The URL of the 100th page of the overview at `url`, reached by its next links as a person would. */
export async function hundredthPageUrl(base: string, url: string, headers: Record<string, string>): Promise<string> {
  let pageUrl = url;
  for (let i = 1; i < 100; i += 1) {
    const html = await (await fetch(pageUrl, { headers })).text();
    const next = /href="([^"]+)" rel="next"/.exec(html);
    if (!next) throw new Error(`no next link on page ${i} of ${url}`);
    pageUrl = `${base}${next[1]!.replace(/&amp;/g, '&')}`;
  }
  return pageUrl;
}

export interface MeasuredAccount { number: string; transactions: number }

/**
 * Issue 17: the Globex control accounts the overview is filtered by. Its largest region, and the
 * account of the deepest level with the fewest transactions: a sparse subtree is the hard case for
 * a time-ordered page, which reads the whole company's index unless its own index serves it.
 */
export function accountsToMeasure(dbFile: string): { region: MeasuredAccount; sparse: MeasuredAccount } {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    const globex = (db.prepare("SELECT id FROM companies WHERE name = 'Globex Corporation'").get() as { id: number }).id;
    const deepest = (db.prepare('SELECT max(depth) AS depth FROM control_accounts WHERE company_id = ?').get(globex) as { depth: number }).depth;
    const at = (depth: number, order: 'ASC' | 'DESC') => db.prepare(
      `SELECT a.number, (SELECT count(*) FROM transactions WHERE account_level${depth} = a.id) AS transactions
         FROM control_accounts a WHERE a.company_id = ? AND a.depth = ? ORDER BY transactions ${order}, a.number LIMIT 1`).get(globex, depth) as MeasuredAccount;
    return { region: at(1, 'DESC'), sparse: at(deepest, 'ASC') };
  } finally {
    db.close();
  }
}

