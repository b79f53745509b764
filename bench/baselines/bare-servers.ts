// Baselines for the benchmark: the same libraries as the portal with nothing of the portal in them.
// Run as `node --import tsx bench/baselines/bare-servers.ts <kind> <sqlite-file>`; prints the port it listens on,
// and stops when its stdin closes.
//   ejs      Express 5 + EJS rendering a 25-row table from memory
//   sqlite   the same, reading the 25 rows from better-sqlite3 with a prepared statement
//   stack    express-session on a SQLite store + passport deserialising the user + the query + EJS
import http from 'node:http';
import BetterSqlite3 from 'better-sqlite3';
import ejs from 'ejs';
import express from 'express';
import session from 'express-session';
import { Passport } from 'passport';

const TEMPLATE = ejs.compile(`<!doctype html><html><head><title>Baseline</title></head><body><table>
<% rows.forEach(function (r) { %><tr><td><%= r.tracking_number %></td><td><%= r.type %></td><td><%= r.status %></td><td><%= r.summary %></td></tr><% }) %>
</table></body></html>`);

const [kind = 'ejs', file = ''] = process.argv.slice(2);
const app = express();
app.disable('x-powered-by');

const memoryRows = Array.from({ length: 25 }, (_, i) => ({ tracking_number: `AW30010000${i}`, type: 'limit_change', status: 'completed', summary: `Row ${i}` }));

if (kind === 'ejs') {
  app.get('/', (_req, res) => { res.send(TEMPLATE({ rows: memoryRows })); });
} else {
  const db = new BetterSqlite3(file, { readonly: kind === 'sqlite' });
  db.pragma('journal_mode = WAL');
  const companyId = (db.prepare("SELECT id FROM companies WHERE name = 'Globex Corporation'").get() as { id: number }).id;
  const page = db.prepare('SELECT tracking_number, type, status, summary FROM transactions WHERE company_id = ? ORDER BY submitted_at DESC, id DESC LIMIT 25');
  if (kind === 'sqlite') {
    app.get('/', (_req, res) => { res.send(TEMPLATE({ rows: page.all(companyId) })); });
  } else {
    // A minimal SQLite session store, as a bare app would write it.
    db.exec('CREATE TABLE IF NOT EXISTS bare_sessions (sid TEXT PRIMARY KEY, data TEXT NOT NULL, expires INTEGER NOT NULL)');
    const getSession = db.prepare('SELECT data FROM bare_sessions WHERE sid = ? AND expires > ?');
    const setSession = db.prepare('INSERT INTO bare_sessions (sid, data, expires) VALUES (?, ?, ?) ON CONFLICT (sid) DO UPDATE SET data = excluded.data, expires = excluded.expires');
    class Store extends session.Store {
      override get(sid: string, cb: (err: unknown, data?: session.SessionData | null) => void) {
        const row = getSession.get(sid, Date.now()) as { data: string } | undefined;
        cb(null, row ? JSON.parse(row.data) : null);
      }
      override set(sid: string, data: session.SessionData, cb?: (err?: unknown) => void) {
        setSession.run(sid, JSON.stringify(data), Date.now() + 3_600_000);
        cb?.();
      }
      override destroy(sid: string, cb?: (err?: unknown) => void) {
        db.prepare('DELETE FROM bare_sessions WHERE sid = ?').run(sid);
        cb?.();
      }
    }
    const passport = new Passport();
    const findUser = db.prepare('SELECT id, user_id, first_name FROM program_administrators WHERE id = ?');
    passport.serializeUser((user, done) => done(null, (user as { id: number }).id));
    passport.deserializeUser((id: number, done) => done(null, findUser.get(id) as Express.User));
    app.use(session({ secret: 'baseline-secret-baseline-secret', store: new Store(), resave: false, saveUninitialized: false }));
    // As the portal does: passport.session() alone (passport.initialize() is not needed since passport 0.5.1).
    app.use(passport.session());
    const primary = db.prepare("SELECT id FROM program_administrators WHERE user_id = 'globex.primary'").get() as { id: number };
    app.get('/login', (req, res, next) => req.logIn(primary as Express.User, (err) => (err ? next(err) : res.send('ok'))));
    app.get('/', (req, res) => {
      if (!req.user) return res.status(401).end();
      res.send(TEMPLATE({ rows: page.all(companyId) }));
    });
  }
}

const server = http.createServer(app).listen(0, '127.0.0.1', () => {
  const address = server.address();
  console.log(`port=${typeof address === 'object' && address ? address.port : 0}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
// The benchmark holds our stdin open; when it ends, for whatever reason, so do we.
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
