// A browser with the simulator console open, for tests of the console's pages.
import type { RequestListener } from 'node:http';
import request from 'supertest';
import { csrfTokenFrom, type Agent } from './pages';
import { TEST_SIM_TOKEN } from './test-app';

/** A browser that pasted the simulator token at /sim/login. */
export async function consoleAgent(app: RequestListener, agent: Agent = request.agent(app)): Promise<Agent> {
  const token = await csrfTokenFrom(agent, '/sim/login');
  const res = await agent.post('/sim/login').type('form').send({ _csrf: token, token: TEST_SIM_TOKEN });
  if (res.status !== 303 || res.headers.location !== '/sim') throw new Error(`console sign-in failed: ${res.status} ${res.text.slice(0, 300)}`);
  return agent;
}

/** Submits a console form the way a browser does: the page's CSRF token plus the fields. */
export async function submitConsoleForm(agent: Agent, page: string, action: string, fields: Record<string, string> = {}) {
  const token = await csrfTokenFrom(agent, page);
  return agent.post(action).type('form').send({ _csrf: token, ...fields });
}
