// Secure messages between a PA and the help desk: the thread from PA to agent and back, who may see
// it, what may be written, the promised answer time, and where the threads show up.
import request from 'supertest';
import { auditActions, paId, persona, signedInAs, staffSignedInAs, withoutToken } from '../helpers/actors';
import { csrfTokenIn, type Agent } from '../helpers/pages';
import { TEST_SIM_TOKEN, createTestApp, type TestApp } from '../helpers/test-app';

let t: TestApp;
beforeEach(async () => { t = await createTestApp({ env: { AUTH_RATE_LIMIT_PER_MINUTE: '10000' } }); });
afterEach(() => t.close());

async function post(agent: Agent, page: string, action: string, fields: Record<string, string>) {
  const shown = await agent.get(page);
  return agent.post(action).type('form').send({ _csrf: csrfTokenIn(shown.text), ...fields });
}

/** Writes a new thread as this PA; returns its tracking number. */
async function write(agent: Agent, fields: Partial<Record<'subject' | 'topic' | 'body', string>> = {}): Promise<string> {
  const res = await post(agent, '/messages/new', '/messages', { subject: 'Card not arriving', topic: 'cards', body: 'Hello,\nthe new card has not arrived.', ...fields });
  expect(res.status).toBe(303);
  const match = /^\/messages\/(AW\d{10})$/.exec(res.headers.location ?? '');
  expect(match).not.toBeNull();
  return match![1]!;
}

const moveClock = (advance: string) => request(t.app).post('/sim/api/clock').set('Authorization', `Bearer ${TEST_SIM_TOKEN}`).send({ advance }).expect(200);
const statusOf = (trackingNumber: string) => t.context.db.get<{ status: string }>('SELECT status FROM transactions WHERE tracking_number = ?', trackingNumber)!.status;
const journalTypes = (trackingNumber: string) => t.context.db.all<{ type: string }>(
  "SELECT type FROM journal_events WHERE subject = ? AND type LIKE 'message.%' ORDER BY id", `transaction:${trackingNumber}`).map((row) => row.type);

describe('a secure message from PA to agent and back', () => {
  it('goes to the help-desk inbox, is answered, e-mails the PA without the answer, and the PA reads the reply', async () => {
    const pa = await signedInAs(t, 'globex.primary');
    const number = await write(pa);
    expect(statusOf(number)).toBe('submitted');
    const thread = await pa.get(`/messages/${number}`).expect(200);
    expect(thread.text).toContain('Card not arriving');
    expect(thread.text).toContain('data-testid="answer-due"');

    const agent = await staffSignedInAs(t, 'agent.ava');
    const inbox = await agent.get('/helpdesk').expect(200);
    expect(inbox.text).toContain(`data-tracking-number="${number}"`);
    const answer = 'Dear Hank,\nwe have sent a replacement today.';
    const answered = await post(agent, `/helpdesk/messages/${number}`, `/helpdesk/messages/${number}/reply`, { body: answer });
    expect([answered.status, answered.headers.location]).toEqual([303, `/helpdesk/messages/${number}`]);
    expect(statusOf(number)).toBe('in_progress');
    expect(auditActions(t, `pa:${paId(t, 'globex.primary')}`)).toContain('helpdesk.message_answered:success');

    const notice = t.context.outbox.list({ type: 'message_reply' });
    expect(notice).toHaveLength(1);
    expect(notice[0]!.to).toBe('hank.scorpio@globex.example');
    expect(notice[0]!.subject).toBe('You have a reply from the @Work Help Desk');
    expect(notice[0]!.data).toEqual({ trackingNumber: number, threadUrl: expect.stringMatching(new RegExp(`^http://[^/]+/messages/${number}$`)) });
    expect(notice[0]!.text).toContain('Card not arriving');
    expect(notice[0]!.text).not.toContain('replacement');
    expect(notice[0]!.html).not.toContain('replacement');

    const read = await pa.get(new URL(String(notice[0]!.data.threadUrl)).pathname).expect(200);
    expect(read.text).toContain('we have sent a replacement today.');
    expect(read.text.indexOf('the new card has not arrived')).toBeLessThan(read.text.indexOf('we have sent a replacement'));
    expect(read.text).toContain('data-from="help_desk"');

    await post(pa, `/messages/${number}`, `/messages/${number}/reply`, { body: 'Thank you!' }).then((res) => expect(res.status).toBe(303));
    expect(journalTypes(number)).toEqual(['message.sent', 'message.replied', 'message.sent']);
    const closed = await post(pa, `/messages/${number}`, `/messages/${number}/close`, {});
    expect(closed.status).toBe(303);
    expect(statusOf(number)).toBe('completed');
    const after = await pa.get(`/messages/${number}`).expect(200);
    expect(after.text).toContain('data-testid="thread-closed"');
    expect(after.text).not.toContain('data-testid="reply-form"');
    const late = await post(pa, `/messages/${number}`, `/messages/${number}/reply`, {});
    expect(late.status).toBe(400);
    const refused = await agent.post(`/helpdesk/messages/${number}/reply`).type('form')
      .send({ _csrf: csrfTokenIn((await agent.get(`/helpdesk/messages/${number}`)).text), body: 'One more thing' });
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('data-error-code="thread_closed"');
    expect((await agent.get('/helpdesk')).text).not.toContain(`data-tracking-number="${number}"`);
  });

  it('lets an agent close a thread, audited, completing its transaction', async () => {
    const number = await write(await signedInAs(t, 'globex.viewer'));
    const agent = await staffSignedInAs(t, 'agent.ava');
    expect((await post(agent, `/helpdesk/messages/${number}`, `/helpdesk/messages/${number}/close`, {})).status).toBe(303);
    expect(statusOf(number)).toBe('completed');
    expect(auditActions(t, `pa:${paId(t, 'globex.viewer')}`)).toContain('helpdesk.message_closed:success');
    expect((await post(agent, `/helpdesk/messages/${number}`, `/helpdesk/messages/${number}/close`, {})).status).toBe(409);
  });
});

describe('who may see a thread', () => {
  it('answers another PA without view_all, another company and an unknown number exactly alike (404)', async () => {
    const number = await write(await signedInAs(t, 'globex.primary'), { subject: 'Private matter' });
    const unknownNumber = 'AW9999999999';
    const answers = async (agent: Agent) => Promise.all([number, unknownNumber, 'not-a-number'].map(async (n) => {
      const res = await agent.get(`/messages/${n}`);
      return { status: res.status, body: withoutToken(res.text) };
    }));
    for (const userId of ['globex.viewer', 'initech.primary']) {
      const agent = await signedInAs(t, userId);
      const [theirs, unknown, malformed] = await answers(agent);
      expect([theirs!.status, unknown!.status, malformed!.status]).toEqual([404, 404, 404]);
      expect(theirs!.body).toBe(unknown!.body);
      expect(theirs!.body).not.toContain('Private matter');
      expect((await agent.get('/messages')).text).not.toContain('Private matter');
      const reply = await post(agent, '/messages', `/messages/${number}/reply`, { body: 'Let me in' });
      expect(reply.status).toBe(404);
      expect((await post(agent, '/messages', `/messages/${number}/close`, {})).status).toBe(404);
    }
    expect(statusOf(number)).toBe('submitted');
  });

  it('shows the company\'s threads to a PA holding transactions.view_all, and finds a number in any spelling', async () => {
    const number = await write(await signedInAs(t, 'globex.viewer'), { subject: 'Viewer asks' });
    const primary = await signedInAs(t, 'globex.primary');
    expect((await primary.get('/messages')).text).toContain('Viewer asks');
    const spelled = `${number.slice(0, 2).toLowerCase()} ${number.slice(2, 6)}-${number.slice(6)}`;
    expect((await primary.get(`/messages/${encodeURIComponent(spelled)}`).expect(200)).text).toContain('Viewer asks');
  });

  it('needs a signed-in PA for the pages and the help-desk session for the agent pages', async () => {
    await request(t.app).get('/messages').expect(302);
    await request(t.app).get('/messages/new').expect(302);
    const number = await write(await signedInAs(t, 'globex.primary'));
    await request(t.app).get(`/helpdesk/messages/${number}`).expect(302).expect('Location', '/helpdesk/login');
    const pa = await signedInAs(t, 'globex.primary');
    await pa.get(`/helpdesk/messages/${number}`).expect(302).expect('Location', '/helpdesk/login');
    const agent = await staffSignedInAs(t, 'agent.ava');
    await agent.get('/helpdesk/messages/AW9999999999').expect(404);
  });
});

describe('what a PA may write', () => {
  it('names every problem on the form (400) and keeps what was typed', async () => {
    const pa = await signedInAs(t, 'globex.primary');
    const threads = () => t.context.db.get<{ n: number }>("SELECT count(*) AS n FROM transactions WHERE type = 'secure_message'")!.n;
    const before = threads();
    const empty = await post(pa, '/messages/new', '/messages', {});
    expect(empty.status).toBe(400);
    for (const field of ['subject', 'topic', 'body']) expect(empty.text).toContain(`data-testid="${field}-error"`);
    const tooLong = await post(pa, '/messages/new', '/messages', { subject: 's'.repeat(121), topic: 'lottery', body: 'b'.repeat(4001) });
    expect(tooLong.status).toBe(400);
    expect(tooLong.text).toContain('Keep the subject to 120 characters.');
    expect(tooLong.text).toContain('Choose a topic from the list.');
    expect(tooLong.text).toContain('Keep the message to 4000 characters.');
    expect(tooLong.text).toContain('role="alert"');
    const control = await post(pa, '/messages/new', '/messages', { subject: 'Bell\u0007', topic: 'other', body: 'Null\u0000byte' });
    expect(control.status).toBe(400);
    expect(control.text).toContain('Use plain text on one line.');
    expect(control.text).toContain('Use plain text only.');
    expect(threads()).toBe(before);
    const exactly = await write(pa, { subject: 's'.repeat(120), body: 'b'.repeat(4000) });
    expect(statusOf(exactly)).toBe('submitted');
  });

  it('shows markup in a subject and a message as text, line breaks kept by CSS only', async () => {
    const pa = await signedInAs(t, 'globex.primary');
    const number = await write(pa, { subject: '<script>alert(1)</script>', body: 'line one\n<script>alert(2)</script>\n<b>bold</b>' });
    const agent = await staffSignedInAs(t, 'agent.ava');
    const pages = [
      await pa.get(`/messages/${number}`), await pa.get('/messages'), await pa.get('/transactions'),
      await agent.get('/helpdesk'), await agent.get(`/helpdesk/messages/${number}`),
    ];
    for (const page of pages) {
      expect(page.status).toBe(200);
      expect(page.text).not.toContain('<script>alert');
      expect(page.text).not.toContain('<b>bold</b>');
    }
    expect(pages[0]!.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(pages[0]!.text).toContain('line one\n&lt;script&gt;alert(2)&lt;/script&gt;\n&lt;b&gt;bold&lt;/b&gt;');
    expect(pages[0]!.text).not.toContain('<br');
  });
});

describe('the promised answer time', () => {
  it('marks a thread unanswered for one business day overdue and escalates it to the supervisors, once', async () => {
    // The test clock starts on a Monday at 09:00: the answer is due on Tuesday at 09:00.
    const number = await write(await signedInAs(t, 'globex.primary'), { subject: 'Waiting' });
    await moveClock('23h');
    expect(journalTypes(number)).toEqual(['message.sent']);
    await moveClock('61m');
    expect(journalTypes(number)).toEqual(['message.sent', 'message.overdue']);
    const overdueAt = t.context.db.get<{ at: number }>("SELECT at FROM journal_events WHERE type = 'message.overdue'")!.at;
    expect(new Date(overdueAt).toISOString()).toBe('2026-03-03T09:00:00.000Z');

    const supervisor = await staffSignedInAs(t, 'super.sam');
    const queue = await supervisor.get('/helpdesk/escalations').expect(200);
    expect(queue.text).toContain(`Secure message ${number} has had no answer within the promised business day.`);
    expect(queue.text).toContain('raised by the system');
    expect(queue.text).toContain(`href="/helpdesk/messages/${number}"`);
    expect((await supervisor.get('/helpdesk')).text).toMatch(new RegExp(`data-tracking-number="${number}"[\\s\\S]*?data-testid="overdue-mark"`));
    expect((await (await signedInAs(t, 'globex.primary')).get('/messages')).text).toContain('data-testid="overdue-mark"');

    await moveClock('3d');
    expect(t.context.db.get<{ n: number }>('SELECT count(*) AS n FROM escalations WHERE thread_id IS NOT NULL')!.n).toBe(1);
    const escalation = t.context.db.get<{ id: number; raised_by_staff_id: number | null }>('SELECT id, raised_by_staff_id FROM escalations WHERE thread_id IS NOT NULL')!;
    expect(escalation.raised_by_staff_id).toBeNull();
    const resolved = await post(await staffSignedInAs(t, 'super.sam'), '/helpdesk/escalations', `/helpdesk/escalations/${escalation.id}/resolve`, { note: 'Answered by phone.' });
    expect(resolved.status).toBe(303);

    const agent = await staffSignedInAs(t, 'agent.ava');
    await post(agent, `/helpdesk/messages/${number}`, `/helpdesk/messages/${number}/reply`, { body: 'Sorry for the wait.' });
    expect((await agent.get(`/helpdesk/messages/${number}`)).text).not.toContain('data-testid="overdue-mark"');
  });

  it('skips the weekend: a message written on Friday morning is due on Monday morning', async () => {
    await moveClock('4d');
    const number = await write(await signedInAs(t, 'globex.primary'));
    await moveClock('2d');
    expect(journalTypes(number)).toEqual(['message.sent']);
    await moveClock('1d');
    expect(journalTypes(number)).toEqual(['message.sent', 'message.overdue']);
  });

  it('is kept by an answer in time', async () => {
    const number = await write(await signedInAs(t, 'globex.primary'));
    await moveClock('2h');
    const agent = await staffSignedInAs(t, 'agent.ava');
    await post(agent, `/helpdesk/messages/${number}`, `/helpdesk/messages/${number}/reply`, { body: 'On it.' });
    await moveClock('5d');
    expect(journalTypes(number)).toEqual(['message.sent', 'message.replied']);
  });
});

describe('threads among the other requests', () => {
  it('lists a thread in the Status Tracking Overview and finds it by the tracking search', async () => {
    const pa = await signedInAs(t, 'globex.primary');
    const number = await write(pa, { subject: 'Listed too' });
    const overview = await pa.get('/transactions?type=secure_message').expect(200);
    expect(overview.text).toContain(number);
    expect(overview.text).toContain('Secure message: Listed too');
    const found = await pa.get(`/transactions/search?q=${number.toLowerCase()}`).expect(303);
    const detail = await pa.get(found.headers.location!).expect(200);
    expect(detail.text).toContain(`href="/messages/${number}"`);
  });
});

describe('the help desk finding a caller by a reference they quote', () => {
  const find = async (agent: Agent, q: string) => agent.get(`/helpdesk/callers?q=${encodeURIComponent(q)}`).expect(200);
  const callerIds = (html: string) => [...html.matchAll(/data-caller-id="(\d+)"/g)].map((m) => Number(m[1]));

  it('leads from a message thread, a request and an earlier call to the PA concerned, and reveals nothing before verification', async () => {
    const viewerId = paId(t, 'globex.viewer');
    const message = await write(await signedInAs(t, 'globex.viewer'));
    const agent = await staffSignedInAs(t, 'agent.ava');
    const spelled = `${message.slice(0, 2).toLowerCase()} ${message.slice(2, 5)}-${message.slice(5, 9)} ${message.slice(9)}`;
    const byMessage = await find(agent, spelled);
    expect(callerIds(byMessage.text)).toEqual([viewerId]);
    expect(byMessage.text).toContain(`data-testid="caller-reference">${message}<`);

    const request = t.context.db.get<{ tracking_number: string; submitted_by_pa_id: number }>(
      "SELECT tracking_number, submitted_by_pa_id FROM transactions WHERE submitted_by_pa_id IS NOT NULL AND type <> 'secure_message' ORDER BY id LIMIT 1")!;
    expect(callerIds((await find(agent, request.tracking_number)).text)).toEqual([request.submitted_by_pa_id]);

    const lockedId = paId(t, 'globex.locked');
    const locked = persona('globex.locked');
    await post(agent, '/helpdesk', `/helpdesk/callers/${lockedId}/verify`, { verificationPin: locked.verificationPin, verificationWord: locked.verificationWord });
    const unlocked = await post(agent, '/helpdesk', `/helpdesk/callers/${lockedId}/unlock`, {});
    expect(unlocked.status).toBe(303);
    const call = t.context.db.get<{ tracking_number: string }>("SELECT tracking_number FROM transactions WHERE type = 'unlock' AND subject_pa_id = ?", lockedId)!;
    const secondAgent = await staffSignedInAs(t, 'super.sam');
    expect(callerIds((await find(secondAgent, call.tracking_number)).text)).toEqual([lockedId]);

    const none = await find(agent, 'AW9999999999');
    expect(callerIds(none.text)).toEqual([]);
    expect(none.text).toContain('No request, message or earlier call has that tracking number.');
    // Found, the caller is not verified: the page asks for the PIN and word before any action.
    const page = await agent.get(`/helpdesk/callers/${viewerId}`).expect(200);
    expect(page.text).toContain('data-testid="verify-form"');
    expect(page.text).toContain('data-testid="actions-need-verification"');
    expect(auditActions(t, `pa:${viewerId}`).filter((a) => a.startsWith('helpdesk.'))).toEqual([]);
  });
});

describe('the default scenario', () => {
  it('has an open thread from globex.primary in the inbox at first sight', async () => {
    const agent = await staffSignedInAs(t, 'agent.ava');
    const inbox = await agent.get('/helpdesk').expect(200);
    expect(inbox.text).toContain('data-testid="inbox-thread"');
    expect(inbox.text).not.toContain('data-testid="inbox-empty"');
  });
});


describe('threads in a scenario document', () => {
  const api = (method: 'get' | 'post', path: string) => request(t.app)[method](path).set('Authorization', `Bearer ${TEST_SIM_TOKEN}`);

  it('are exported with their messages and load again as they stood, their transactions with them', async () => {
    const pa = await signedInAs(t, 'globex.viewer');
    const number = await write(pa, { subject: 'Round trip', body: 'First\nline' });
    const agent = await staffSignedInAs(t, 'agent.ava');
    await post(agent, `/helpdesk/messages/${number}`, `/helpdesk/messages/${number}/reply`, { body: 'Answer' });
    await post(pa, `/messages/${number}`, `/messages/${number}/reply`, { body: 'Still waiting' });
    const once = (await api('get', '/sim/api/scenario?name=with_threads').expect(200)).body as { messageThreads: Array<Record<string, unknown>>; transactions: Array<{ type: string }> };
    expect(once.transactions.filter((tr) => tr.type === 'secure_message')).toEqual([]);
    expect(once.messageThreads.find((thread) => thread.trackingNumber === number)).toEqual({
      trackingNumber: number, submittedBy: 'globex.viewer', subject: 'Round trip', topic: 'cards',
      messages: [
        { from: 'globex.viewer', body: 'First\nline', minutesAgo: 0 },
        { from: 'staff:agent.ava', body: 'Answer', minutesAgo: 0 },
        { from: 'globex.viewer', body: 'Still waiting', minutesAgo: 0 },
      ],
    });
    await api('post', '/sim/api/scenarios').send(once).expect(201);
    await api('post', '/sim/api/reset').send({ scenario: 'with_threads' }).expect(200);
    expect(statusOf(number)).toBe('in_progress');
    const again = (await api('get', '/sim/api/scenario?name=with_threads').expect(200)).body as Record<string, unknown>;
    expect(again.messageThreads).toEqual(once.messageThreads);
    const reread = await (await signedInAs(t, 'globex.viewer')).get(`/messages/${number}`).expect(200);
    expect(reread.text).toContain('data-testid="answer-due"');
    expect(reread.text).toContain('Still waiting');
  });

  it('refuses a thread whose writer or authors do not resolve, by JSON path', async () => {
    const document = {
      name: 'bad_threads', companies: [{ key: 'c', name: 'C Corp', programNumber: 'P-1', maxCardLimitCents: 100000 }],
      messageThreads: [{ submittedBy: 'nobody', subject: 'Hi', topic: 'other', messages: [{ from: 'staff:ghost', body: 'Hello', minutesAgo: 5 }] }],
    };
    const res = await api('post', '/sim/api/scenarios').send(document);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('messageThreads[0].submittedBy');
    expect(JSON.stringify(res.body)).toContain('messageThreads[0].messages[0].from');
  });
});
