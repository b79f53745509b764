import { openDatabase } from '../../src/db/database';
import { migrate } from '../../src/db/migrate';
import { EventJournal, recordJournalEvent } from '../../src/features/journal/journal.service';

describe('EventJournal.waitFor', () => {
  it('answers a waiter when told of a change after a matching event was recorded, and not before', async () => {
    const db = openDatabase(':memory:');
    migrate(db);
    const journal = new EventJournal(db);
    let answered = false;
    const waiting = journal.waitFor({ type: 'clock.*' }, 5_000).then((event) => { answered = true; return event; });
    recordJournalEvent(db, { at: 0, type: 'clock.moved', actor: 'simulator' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(answered).toBe(false);
    journal.changed();
    expect(await waiting).toMatchObject({ id: 1, type: 'clock.moved', actor: 'simulator', actorUserId: null, subject: null, data: {} });
    db.close();
  });

  it('ends a wait with the error its look for new events met, without throwing into whoever told of the change', async () => {
    const db = openDatabase(':memory:');
    migrate(db);
    const journal = new EventJournal(db);
    const waiting = journal.waitFor({}, 5_000);
    db.exec('DROP TABLE journal_events');
    expect(() => journal.changed()).not.toThrow();
    // Matched by message: better-sqlite3's error class comes from whichever test file loaded the addon first.
    await expect(waiting).rejects.toMatchObject({ message: expect.stringMatching(/no such table: journal_events/) });
    db.close();
  });
});
