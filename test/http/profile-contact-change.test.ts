// A contact-details change from the PA's profile to the help desk and back: a tracked request, the
// step-up before an e-mail change, and the agent completing or rejecting it.
import { auditActions, paId, persona, signedInAs, staffSignedInAs } from '../helpers/actors';
import { csrfTokenIn, testIdText, type Agent } from '../helpers/pages';
import { MINUTE_MS, createTestApp, type TestApp } from '../helpers/test-app';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp({ env: { AUTH_RATE_LIMIT_PER_MINUTE: '10000' } });
  t.context.outbox.clear();
});
afterEach(() => t.close());

const viewer = persona('globex.viewer');

async function post(agent: Agent, page: string, action: string, fields: Record<string, string>) {
  const shown = await agent.get(page);
  return agent.post(action).type('form').send({ _csrf: csrfTokenIn(shown.text), ...fields });
}

const requestChange = (agent: Agent, fields: Record<string, string>) => post(agent, '/profile', '/profile/contact', fields);

function openRequest(userId: string) {
  return t.context.db.get<{ tracking_number: string; status: string; details: string }>(
    "SELECT tracking_number, status, details FROM transactions WHERE type = 'contact_change_request' AND subject_pa_id = ? ORDER BY id DESC", paId(t, userId));
}

/** Keeps the session in use while the simulated clock moves past the step-up window. */
async function letProofAge(agent: Agent, minutes: number) {
  for (let left = minutes; left > 0; left -= 10) {
    t.context.clock.advanceBy(Math.min(10, left) * MINUTE_MS);
    expect((await agent.get('/home')).status).toBe(200);
  }
}

describe('POST /profile/contact', () => {
  it('files a request with a tracking number that appears in the Status Tracking Overview', async () => {
    const agent = await signedInAs(t, 'globex.viewer');
    const res = await requestChange(agent, { email: 'vera.new@globex.example', phone: '555-010-9999', note: 'New desk' });
    expect(res.status).toBe(303);
    const filed = openRequest('globex.viewer')!;
    expect(filed.status).toBe('submitted');
    expect(JSON.parse(filed.details)).toMatchObject({ email: 'vera.new@globex.example', phone: '555-010-9999', note: 'New desk', previous: { email: viewer.email } });
    const profile = await agent.get('/profile');
    expect(profile.text).toContain(`Your status tracking number is ${filed.tracking_number}.`);
    expect(testIdText(profile.text, 'contact-request-tracking-number')).toBe(filed.tracking_number);
    const overview = await agent.get('/transactions');
    expect(overview.text).toContain(`data-tracking-number="${filed.tracking_number}" data-status="submitted"`);
    expect(overview.text).toContain('Contact details change request');
    // Nothing changes before the help desk acts.
    expect(testIdText(profile.text, 'profile-email')).toBe(viewer.email);
    expect(auditActions(t, `pa:${paId(t, 'globex.viewer')}`)).toContain('contact_change.requested:success');
  });

  it('refuses details that change nothing, with a message on the form', async () => {
    const agent = await signedInAs(t, 'globex.viewer');
    const res = await requestChange(agent, { email: viewer.email.toUpperCase(), phone: viewer.phone!.replace(/-/g, ' ') });
    expect(res.status).toBe(400);
    expect(res.text).toContain('data-error-code="no_change"');
    expect(openRequest('globex.viewer')).toBeUndefined();
  });

  it.each([
    ['email', { email: 'not-an-address', phone: '' }, 'Enter a valid e-mail address.'],
    ['email', { email: '', phone: '' }, 'Enter your e-mail address.'],
    ['phone', { email: 'v@globex.example', phone: 'call me' }, 'Use digits, spaces and + ( ) - only.'],
    ['phone', { email: 'v@globex.example', phone: '12' }, 'Enter the whole phone number'],
    ['note', { email: 'v@globex.example', phone: '', note: 'x'.repeat(501) }, 'Use at most 500 characters.'],
  ])('validates the %s field (case %#)', async (field, fields, message) => {
    const agent = await signedInAs(t, 'globex.viewer');
    const res = await requestChange(agent, fields);
    expect(res.status).toBe(400);
    expect(res.text).toContain(`data-testid="${field}-error"`);
    expect(res.text).toContain(message);
  });

  it('allows one open request at a time', async () => {
    const agent = await signedInAs(t, 'globex.viewer');
    expect((await requestChange(agent, { email: viewer.email, phone: '555-010-7777' })).status).toBe(303);
    const second = await requestChange(agent, { email: viewer.email, phone: '555-010-8888' });
    expect(second.status).toBe(409);
    expect(second.text).toContain('data-error-code="request_open"');
  });

  it('asks for the password again to change the e-mail once the sign-in is older than 15 simulated minutes', async () => {
    const agent = await signedInAs(t, 'globex.viewer');
    await letProofAge(agent, 16);
    const page = await agent.get('/profile');
    expect(page.text).toContain('data-testid="currentPassword-input"');
    const without = await requestChange(agent, { email: 'vera.new@globex.example', phone: '' });
    expect(without.status).toBe(400);
    expect(without.text).toContain('data-error-code="password_needed"');
    const wrong = await requestChange(agent, { email: 'vera.new@globex.example', phone: '', currentPassword: 'Wrong-Password-99' });
    expect(wrong.status).toBe(400);
    expect(openRequest('globex.viewer')).toBeUndefined();
    // A phone change alone needs no second ask.
    expect((await requestChange(agent, { email: viewer.email, phone: '555-010-4242' })).status).toBe(303);
    expect(auditActions(t, `pa:${paId(t, 'globex.viewer')}`)).toContain('step_up.failure:failure');
  });

  it('takes the password as a fresh proof for the e-mail change', async () => {
    const agent = await signedInAs(t, 'globex.viewer');
    await letProofAge(agent, 16);
    const res = await requestChange(agent, { email: 'vera.new@globex.example', phone: '', currentPassword: viewer.password });
    expect(res.status).toBe(303);
    expect(openRequest('globex.viewer')!.status).toBe('submitted');
    expect((await agent.get('/profile')).text).not.toContain('data-testid="currentPassword-input"');
  });

  it('asks for no password within 15 minutes of signing in', async () => {
    const agent = await signedInAs(t, 'globex.viewer');
    await letProofAge(agent, 14);
    expect((await requestChange(agent, { email: 'vera.new@globex.example', phone: '' })).status).toBe(303);
  });
});

describe('the help desk answering a contact-change request', () => {
  async function filed(): Promise<{ agent: Agent; trackingNumber: string }> {
    const agent = await signedInAs(t, 'globex.viewer');
    expect((await requestChange(agent, { email: 'vera.new@globex.example', phone: '+1 555 555 0142', note: 'Moved desks' })).status).toBe(303);
    return { agent, trackingNumber: openRequest('globex.viewer')!.tracking_number };
  }

  it('queues open requests on the console and the caller page', async () => {
    const { trackingNumber } = await filed();
    const staff = await staffSignedInAs(t, 'agent.ava');
    const consolePage = await staff.get('/helpdesk');
    expect(consolePage.text).toContain(`data-tracking-number="${trackingNumber}"`);
    const callerPage = await staff.get(`/helpdesk/callers/${paId(t, 'globex.viewer')}`);
    expect(callerPage.text).toContain(`href="/helpdesk/contact-requests/${trackingNumber}"`);
    const requestPage = await staff.get(`/helpdesk/contact-requests/${trackingNumber}`);
    expect(requestPage.status).toBe(200);
    expect(testIdText(requestPage.text, 'requested-email')).toBe('vera.new@globex.example');
    expect(testIdText(requestPage.text, 'contact-request-note')).toBe('Their note: Moved desks');
  });

  it('completes it: the details change, both addresses hear, the overview shows it completed', async () => {
    const { agent, trackingNumber } = await filed();
    const staff = await staffSignedInAs(t, 'agent.ava');
    const page = `/helpdesk/contact-requests/${trackingNumber}`;
    const res = await post(staff, page, `${page}/complete`, {});
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/helpdesk/callers/${paId(t, 'globex.viewer')}`);
    const profile = await agent.get('/profile');
    expect(testIdText(profile.text, 'profile-email')).toBe('vera.new@globex.example');
    expect(testIdText(profile.text, 'profile-phone')).toBe('+1 555 555 0142');
    expect(t.context.outbox.list({ type: 'contact_updated' }).map((m) => m.to).sort()).toEqual(['vera.new@globex.example', viewer.email].sort());
    expect((await agent.get('/transactions')).text).toContain(`data-tracking-number="${trackingNumber}" data-status="completed"`);
    expect(auditActions(t, `pa:${paId(t, 'globex.viewer')}`)).toContain('helpdesk.contact_change_completed:success');
    expect((await staff.get('/helpdesk')).text).not.toContain(`data-tracking-number="${trackingNumber}"`);
    // Decided once: a second answer finds nothing open.
    expect((await post(staff, '/helpdesk', `${page}/complete`, {})).status).toBe(404);
  });

  it('rejects it with a reason the PA reads, and changes nothing', async () => {
    const { agent, trackingNumber } = await filed();
    const staff = await staffSignedInAs(t, 'agent.ava');
    const page = `/helpdesk/contact-requests/${trackingNumber}`;
    const empty = await post(staff, page, `${page}/reject`, { reason: ' ' });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('data-testid="reason-error"');
    const res = await post(staff, page, `${page}/reject`, { reason: 'Please call us from the number on file.' });
    expect(res.status).toBe(303);
    expect(testIdText((await agent.get('/profile')).text, 'profile-email')).toBe(viewer.email);
    const detail = await agent.get(`/transactions/${trackingNumber}`);
    expect(testIdText(detail.text, 'rejection-reason')).toBe('Please call us from the number on file.');
    expect((await agent.get('/transactions')).text).toContain(`data-tracking-number="${trackingNumber}" data-status="rejected"`);
    const mails = t.context.outbox.list({ type: 'contact_change_rejected' });
    expect(mails.map((m) => m.to)).toEqual([viewer.email]);
    expect(mails[0]!.text).toContain('Please call us from the number on file.');
    expect(auditActions(t, `pa:${paId(t, 'globex.viewer')}`)).toContain('helpdesk.contact_change_rejected:success');
  });

  it('is for staff only', async () => {
    const { agent, trackingNumber } = await filed();
    const page = await agent.get('/profile');
    const res = await agent.post(`/helpdesk/contact-requests/${trackingNumber}/complete`).type('form').send({ _csrf: csrfTokenIn(page.text) });
    expect([401, 403]).toContain(res.status);
    expect(openRequest('globex.viewer')!.status).toBe('submitted');
  });
});
