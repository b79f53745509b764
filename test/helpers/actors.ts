// Named actors from the default scenario, and the steps a person takes with them.
import request from 'supertest';
import { DEFAULT_SCENARIO } from '../../seed/default-scenario';
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
