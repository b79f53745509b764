// The bench's ways into a running portal over HTTP: waiting for it to answer, and signing in as a browser does.

/** globex.primary's password in the `default` and `large` scenarios. */
export const GLOBEX_PRIMARY_PASSWORD = 'Volcano-Lair-2026';

export async function waitFor(url: string, timeoutMs: number, headers: Record<string, string> = {}): Promise<number> {
  const started = performance.now();
  for (;;) {
    try {
      const res = await fetch(url, { headers });
      if (res.ok) return performance.now() - started;
    } catch { /* not listening yet */ }
    if (performance.now() - started > timeoutMs) throw new Error(`${url} not ready after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Signs globex.primary in through the login form (its CSRF token and cookie) and returns the session cookie. */
export async function signIn(base: string, sandboxHeaders: Record<string, string> = {}, password = GLOBEX_PRIMARY_PASSWORD): Promise<string> {
  const page = await fetch(`${base}/login`, { headers: sandboxHeaders });
  const cookie = page.headers.get('set-cookie')!.split(';')[0]!;
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
  const res = await fetch(`${base}/login`, {
    method: 'POST', redirect: 'manual', headers: { ...sandboxHeaders, cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: token, userId: 'globex.primary', password }),
  });
  await res.arrayBuffer();
  if (res.status !== 303) throw new Error(`sign-in failed: ${res.status}`);
  return res.headers.get('set-cookie')!.split(';')[0]!;
}

const JSON_BODY = { 'content-type': 'application/json' };

/** A new sandbox through the simulator API; `body` may choose its id or scenario. Returns its id. */
export async function createSandbox(base: string, auth: Record<string, string>, body: Record<string, unknown> = {}): Promise<string> {
  const res = await fetch(`${base}/sim/api/sandboxes`, { method: 'POST', headers: { ...auth, ...JSON_BODY }, body: JSON.stringify(body) });
  if (res.status !== 201) throw new Error(`sandbox creation answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

export async function deleteSandbox(base: string, auth: Record<string, string>, id: string): Promise<void> {
  const res = await fetch(`${base}/sim/api/sandboxes/${id}`, { method: 'DELETE', headers: auth });
  if (res.status !== 200) throw new Error(`sandbox deletion answered ${res.status}: ${await res.text()}`);
  await res.arrayBuffer();
}

/** globex.primary's password as the simulator's persona list gives it, in the sandbox `sandboxHeaders` name. */
export async function primaryPassword(base: string, auth: Record<string, string>, sandboxHeaders: Record<string, string> = {}): Promise<string> {
  const res = await fetch(`${base}/sim/api/personas`, { headers: { ...auth, ...sandboxHeaders } });
  if (res.status !== 200) throw new Error(`the persona list answered ${res.status}: ${await res.text()}`);
  const { personas } = (await res.json()) as { personas: Array<{ userId: string; password: string }> };
  return personas.find((persona) => persona.userId === 'globex.primary')!.password;
}
