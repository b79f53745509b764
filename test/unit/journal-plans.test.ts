// The journal is read by type, actor, subject and since, and a long poll looks again after every
// request: each of those reads must come from an index, never a scan of the whole journal.
import { openDatabase, type Database } from '../../src/db/database';
import { migrate } from '../../src/db/migrate';
import { findJournalEvents, insertJournalEvent, type JournalFilter } from '../../src/features/journal/journal.repository';
import { planOf } from '../helpers/recorded-statements';

let db: Database;
beforeAll(() => {
  db = openDatabase(':memory:');
  migrate(db);
  const types = ['login.success', 'login.failure', 'transaction.submitted', 'transaction.completed', 'email.sent', 'clock.moved'];
  db.tx(() => {
    for (let i = 0; i < 20_000; i += 1) {
      insertJournalEvent(db, { at: i, type: types[i % types.length]!, actor: i % 3 === 0 ? 'system' : `pa:${i % 500}`, subject: i % 7 === 0 ? null : `pa:${i % 400}`, data: '{}' });
    }
  });
  // No ANALYZE: a sandbox's journal never has statistics (a template's is gathered, if at all, while it is empty).
});
afterAll(() => db.close());

describe('reading the journal', () => {
  const filters: Array<Omit<JournalFilter, 'afterId'>> = [
    {}, { type: 'login.success' }, { type: 'login.*' }, { actor: 'pa:12' }, { subject: 'pa:12' },
    { type: 'login.failure', subject: 'pa:12' }, { type: 'transaction.*', actor: 'system' }, { actor: 'pa:3', subject: 'pa:3' },
  ];
  it.each(filters.flatMap((filter) => [0, 19_000].map((afterId) => [JSON.stringify({ ...filter, afterId }), { ...filter, afterId }] as const)))(
    'by %s comes from an index', (_name, filter) => {
      for (const limit of [1, 1000]) {
        const lines = planOf(db, (d) => findJournalEvents(d, filter, limit));
        expect(lines).not.toContainEqual('SCAN journal_events');
        // By id alone the primary key serves; a filter by anything else needs that filter's index. A
        // type prefix alone spans several types, whose matches the type index gives out of id order:
        // for one event SQLite reads the journal from `since` in id order instead, which serves too.
        const prefixOnly = filter.type?.endsWith('*') && filter.actor === undefined && filter.subject === undefined;
        const filtered = filter.type !== undefined || filter.actor !== undefined || filter.subject !== undefined;
        const byIndex = /USING (COVERING )?INDEX journal_events_by_/;
        const byId = /USING INTEGER PRIMARY KEY/;
        const served = (line: string) => (prefixOnly ? byIndex.test(line) || byId.test(line) : filtered ? byIndex.test(line) : byId.test(line));
        expect([lines, lines.some(served)]).toEqual([lines, true]);
      }
    });
});
