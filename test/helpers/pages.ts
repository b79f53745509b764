// Reading server-rendered pages the way a script would: CSRF tokens, alerts, field errors.
import request from 'supertest';

export type Agent = ReturnType<typeof request.agent>;

export function csrfTokenIn(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('no _csrf input on the page');
  return match[1]!;
}

/** GETs a page and returns the CSRF token its form carries. */
export async function csrfTokenFrom(agent: Agent, url: string): Promise<string> {
  const page = await agent.get(url).expect(200);
  return csrfTokenIn(page.text);
}

export function testIdText(html: string, testId: string): string | undefined {
  const match = new RegExp(`data-testid="${testId}"[^>]*>([\\s\\S]*?)<`).exec(html);
  return match?.[1]?.replace(/\s+/g, ' ').trim();
}

/** What a stack trace or a leaked exception looks like on a page or in JSON. */
export const STACK_TRACE = /\bat [\w.<>]+ \(|node_modules|Error: |\.ts:\d+/;
