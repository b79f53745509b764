// Shared pieces of the browser suite: the simulator API as QA scripts use it.
import { test as base, expect, type APIRequestContext } from '@playwright/test';

export interface Persona {
  userId: string;
  password: string;
  email: string;
  verificationPin: string | null;
  verificationWord: string | null;
  accessCode: string | null;
  state: string;
}

export interface CapturedEmail {
  to: string;
  subject: string;
  text: string;
  type: string;
  data: Record<string, string>;
}

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

  async advanceClock(advance: string): Promise<void> {
    const res = await this.api.post('/sim/api/clock', { data: { advance } });
    expect(res.ok()).toBe(true);
  }
}

export const test = base.extend<{ sim: Simulator }>({
  sim: async ({ playwright, baseURL }, use) => {
    const api = await playwright.request.newContext({
      baseURL,
      extraHTTPHeaders: { Authorization: `Bearer ${process.env.E2E_SIM_TOKEN}` },
    });
    await use(new Simulator(api));
    await api.dispose();
  },
});

export { expect };
