// Named actors from the default scenario, and the steps a person takes with them.
import request from 'supertest';
import { DEFAULT_SCENARIO } from '../../seed/default-scenario';
import { hashSecret } from '../../src/lib/hashing';
import type { ProgramAdministratorSeed } from '../../seed/scenario';
import type { TestApp } from './test-app';
import { csrfTokenFrom, type Agent } from './pages';

export function persona(userId: string): ProgramAdministratorSeed {
  const found = DEFAULT_SCENARIO.programAdministrators.find((pa) => pa.userId === userId);
  if (!found) throw new Error(`no persona ${userId}`);
  return found;
}

export async function submitLogin(agent: Agent, userId: string, password: string) {
  const token = await csrfTokenFrom(agent, '/login');
  return agent.post('/login').type('form').send({ _csrf: token, userId, password });
}

/** A browser-like agent signed in as the persona (asserting that the sign-in worked). */
export async function signedInAs(t: TestApp, userId: string, password = persona(userId).password): Promise<Agent> {
  const agent = request.agent(t.app);
  const res = await submitLogin(agent, userId, password);
  if (res.status !== 303 || res.headers.location !== '/home') {
    throw new Error(`sign-in as ${userId} failed: ${res.status} ${res.text.slice(0, 300)}`);
  }
  return agent;
}

export function paRow(t: TestApp, userId: string) {
  return t.context.db.get<{ id: number; state: string; failed_login_count: number; last_login_at: number | null }>(
    'SELECT id, state, failed_login_count, last_login_at FROM program_administrators WHERE user_id = ?', userId)!;
}

export function auditActions(t: TestApp, subject?: string): string[] {
  const rows = subject
    ? t.context.db.all<{ action: string; outcome: string }>('SELECT action, outcome FROM audit_events WHERE subject = ? ORDER BY id', subject)
    : t.context.db.all<{ action: string; outcome: string }>('SELECT action, outcome FROM audit_events ORDER BY id');
  return rows.map((row) => `${row.action}:${row.outcome}`);
}

/** The page body without the per-session CSRF token, to compare two answers for sameness. */
export function withoutToken(html: string): string {
  return html.replace(/name="_csrf" value="[^"]+"/g, 'name="_csrf" value=""');
}

/** Adds an active program administrator with exactly these permissions, for permission tests. */
export async function addAdministrator(t: TestApp, userId: string, permissions: string[], companyName = 'Globex Corporation'): Promise<{ id: number; password: string }> {
  const password = `Fixture-Password-${userId}`;
  const hash = await hashSecret(password, 4);
  const now = t.context.clock.nowMs();
  const company = t.context.db.get<{ id: number }>('SELECT id FROM companies WHERE name = ?', companyName)!;
  const { lastId } = t.context.db.run(
    `INSERT INTO program_administrators (company_id, user_id, first_name, last_name, email, is_primary, state, password_hash,
       pin_hash, word_hash, enrolled_at, registered_at, last_login_at, state_changed_at)
     VALUES (?, ?, 'Fixture', 'Person', ?, 0, 'active', ?, ?, ?, ?, ?, ?, ?)`,
    company.id, userId, `${userId}@fixture.example`, hash, hash, hash, now, now, now, now);
  for (const permission of permissions) t.context.db.run('INSERT INTO pa_permissions (pa_id, permission) VALUES (?, ?)', lastId, permission);
  return { id: lastId, password };
}

export function cardId(t: TestApp, cardmemberName: string): number {
  return t.context.db.get<{ id: number }>('SELECT id FROM cards WHERE cardmember_name = ? ORDER BY id DESC', cardmemberName)!.id;
}

export function transactionCount(t: TestApp): number {
  return t.context.db.get<{ n: number }>('SELECT count(*) AS n FROM transactions')!.n;
}

/** Goes through a request's form and its review step, as a person would; returns the final answer. */
export async function submitWithReview(agent: Agent, url: string, fields: Record<string, string>) {
  const form = await agent.get(url);
  const token = /name="_csrf" value="([^"]+)"/.exec(form.text)?.[1] ?? '';
  const review = await agent.post(url).type('form').send({ _csrf: token, ...fields });
  if (review.status !== 200 || !review.text.includes('data-testid="review-panel"')) return review;
  return agent.post(url).type('form').send({ _csrf: token, ...fields, confirmed: 'yes' });
}

export function trackingNumberFrom(location: string | undefined): string {
  const match = /^\/transactions\/(AW\d{10})\?submitted=1$/.exec(location ?? '');
  if (!match) throw new Error(`not a confirmation redirect: ${location}`);
  return match[1]!;
}

export const STAFF_PASSWORDS: Record<string, string> = Object.fromEntries(DEFAULT_SCENARIO.staff.map((s) => [s.staffId, s.password]));

/** A browser-like agent signed in to the help desk as this staff member. */
export async function staffSignedInAs(t: TestApp, staffId: string): Promise<Agent> {
  const agent = request.agent(t.app);
  const page = await agent.get('/helpdesk/login');
  const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
  const res = await agent.post('/helpdesk/login').type('form').send({ _csrf: token, staffId, password: STAFF_PASSWORDS[staffId] });
  if (res.status !== 303) throw new Error(`staff sign-in as ${staffId} failed: ${res.status}`);
  return agent;
}

export function paId(t: TestApp, userIdOrPersona: string): number {
  return t.context.db.get<{ id: number }>('SELECT id FROM program_administrators WHERE user_id = ? OR persona_key = ?', userIdOrPersona, userIdOrPersona)!.id;
}

/** An approver (globex.approver unless named) approves a card application waiting for approval, as on its page. */
export async function approveAsApprover(t: TestApp, trackingNumber: string, userId = 'globex.approver'): Promise<void> {
  const approver = await signedInAs(t, userId);
  const page = await approver.get(`/applications/${trackingNumber}`).expect(200);
  const token = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
  const res = await approver.post(`/applications/${trackingNumber}/approve`).type('form').send({ _csrf: token });
  if (res.status !== 303) throw new Error(`approving ${trackingNumber} as ${userId} failed: ${res.status} ${res.text.slice(0, 300)}`);
}
