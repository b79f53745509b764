// Shared pieces of the browser suite: the simulator API as QA scripts use it.
import { test as base, expect, type APIRequestContext, type Page } from '@playwright/test';

export interface Persona {
  userId: string;
  password: string;
  email: string;
  verificationPin: string | null;
  verificationWord: string | null;
  accessCode: string | null;
  /** Numbers of the control accounts a scoped PA is limited to; null: the whole company. */
  scope?: string[] | null;
  state: string;
}

export interface CapturedEmail {
  to: string;
  subject: string;
  text: string;
  type: string;
  data: Record<string, string>;
}

export interface JournalEvent {
  id: number;
  at: string;
  type: string;
  actor: string;
  actorUserId: string | null;
  subject: string | null;
  subjectUserId: string | null;
  data: Record<string, unknown>;
}

export type JournalFilter = { type?: string; actor?: string; subject?: string; since?: number | 'now' };

export class Simulator {
  constructor(private readonly api: APIRequestContext) {}

  async personas(): Promise<Persona[]> {
    const res = await this.api.get('/sim/api/personas');
    expect(res.ok()).toBe(true);
    return ((await res.json()) as { personas: Persona[] }).personas;
  }

  async persona(userId: string): Promise<Persona> {
    const found = (await this.personas()).find((p) => p.userId === userId);
    if (!found) throw new Error(`no persona ${userId}`);
    return found;
  }

  async outbox(filter: { to?: string; type?: string } = {}): Promise<CapturedEmail[]> {
    const res = await this.api.get('/sim/api/outbox', { params: filter });
    expect(res.ok()).toBe(true);
    return ((await res.json()) as { messages: CapturedEmail[] }).messages;
  }

  async events(filter: JournalFilter = {}): Promise<{ events: JournalEvent[]; lastId: number }> {
    const res = await this.api.get('/sim/api/events', { params: filter });
    expect(res.ok()).toBe(true);
    return (await res.json()) as { events: JournalEvent[]; lastId: number };
  }

  async waitForEvent(filter: JournalFilter, timeoutMs = 10_000): Promise<JournalEvent> {
    const res = await this.api.get('/sim/api/events/wait', { params: { ...filter, timeoutMs } });
    expect(res.status()).toBe(200);
    return ((await res.json()) as { event: JournalEvent }).event;
  }

  async advanceClock(advance: string): Promise<void> {
    const res = await this.api.post('/sim/api/clock', { data: { advance } });
    expect(res.ok()).toBe(true);
  }

  /** A fraud alert on the PA's card: suspends them, with an e-mail and (a phone on file) a text. */
  async raiseFraudAlert(userId: string): Promise<void> {
    const res = await this.api.post('/sim/api/fraud-alerts', { data: { userId } });
    expect(res.ok()).toBe(true);
  }

  /** Saves the sandbox's whole state (data, clock, outbox, sessions) under `name`. */
  async saveSnapshot(name: string): Promise<void> {
    const res = await this.api.post('/sim/api/snapshots', { data: { name } });
    expect(res.status()).toBe(201);
  }

  async restoreSnapshot(name: string): Promise<void> {
    const res = await this.api.post('/sim/api/reset', { data: { snapshot: name } });
    expect(res.ok()).toBe(true);
  }
}

/** The simulator API of the default sandbox, for making and deleting sandboxes. */
async function simulatorApi(playwright: { request: { newContext: (options: object) => Promise<APIRequestContext> } }, sandboxId?: string): Promise<APIRequestContext> {
  return playwright.request.newContext({
    baseURL: `http://127.0.0.1:${process.env.E2E_PORT ?? 3311}`,
    extraHTTPHeaders: {
      Authorization: `Bearer ${process.env.E2E_SIM_TOKEN}`,
      ...(sandboxId ? { 'X-Sim-Sandbox': sandboxId } : {}),
    },
  });
}

/**
 * Every test runs in a sandbox of its own, a fresh copy of the default scenario: its pages are at
 * http://<id>.localhost:<port> (cookies stay apart per host) and `sim` drives that sandbox. So
 * tests run in parallel without seeing each other's data, clock or mail.
 */
export const test = base.extend<{ sandboxId: string; sim: Simulator }>({
  sandboxId: async ({ playwright }, use) => {
    const api = await simulatorApi(playwright);
    const created = await api.post('/sim/api/sandboxes', { data: { scenario: 'default' } });
    expect(created.status()).toBe(201);
    const { id } = (await created.json()) as { id: string };
    await use(id);
    await api.delete(`/sim/api/sandboxes/${id}`);
    await api.dispose();
  },
  baseURL: async ({ sandboxId }, use) => {
    await use(`http://${sandboxId}.localhost:${process.env.E2E_PORT ?? 3311}`);
  },
  sim: async ({ playwright, sandboxId }, use) => {
    const api = await simulatorApi(playwright, sandboxId);
    await use(new Simulator(api));
    await api.dispose();
  },
});

/** Signs a PA in through the login form and waits for the homepage. */
export async function signIn(page: Page, persona: Persona): Promise<void> {
  await page.goto('/login');
  await page.getByTestId('userId-input').fill(persona.userId);
  await page.getByTestId('password-input').fill(persona.password);
  await page.getByTestId('login-submit').click();
  await expect(page).toHaveURL(/\/home$/);
}

/** Signs a help-desk agent or supervisor in through the staff login form. */
export async function staffLogin(page: Page, staff: Persona): Promise<void> {
  await page.goto('/helpdesk/login');
  await page.getByTestId('staffId-input').fill(staff.userId);
  await page.getByTestId('password-input').fill(staff.password);
  await page.getByTestId('staff-login-submit').click();
  await expect(page).toHaveURL(/\/helpdesk$/);
}

/** Searches the help desk for a user ID and opens that caller's page. */
export async function openCaller(page: Page, caller: Persona): Promise<void> {
  await page.goto(`/helpdesk/callers?q=${encodeURIComponent(caller.userId)}`);
  await page.getByTestId('caller-row').filter({ hasText: caller.email }).getByTestId('caller-link').click();
  await expect(page).toHaveURL(/\/helpdesk\/callers\/\d+$/);
}

/** Types the PIN and word the caller says on the caller's page. */
export async function verifyCaller(page: Page, caller: Persona): Promise<void> {
  await page.getByTestId('verificationPin-input').fill(caller.verificationPin!);
  await page.getByTestId('verificationWord-input').fill(caller.verificationWord!);
  await page.getByTestId('verify-submit').click();
  await expect(page.getByTestId('caller-verified')).toBeVisible();
}

/** Signs in to the simulator console with the run's simulator token. */
export async function consoleLogin(page: Page): Promise<void> {
  await page.goto('/sim/login');
  await page.getByTestId('token-input').fill(process.env.E2E_SIM_TOKEN!);
  await page.getByTestId('sim-login-submit').click();
  await expect(page).toHaveURL(/\/sim$/);
}

export { expect };
