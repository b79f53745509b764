import http from 'node:http';
import net from 'node:net';
import ejs from 'ejs';
import { sendErrorAnswer } from '../../src/http/error-answer';
import { accountNoticeEmail } from '../../src/features/accounts/emails';
import { escapeHtml } from '../../src/lib/html';

describe('escapeHtml', () => {
  it('escapes every value exactly as EJS does', () => {
    const values = ['', 'plain text', '<script>alert("x")</script>', "O'Brien & Sons", '&amp;', '>>', 'é — ü', 0, 12.5, false, null, undefined,
      ['a<b', 'c'], { toString: () => '<obj>' }];
    for (const value of values) expect([value, escapeHtml(value)]).toEqual([value, ejs.escapeXML(value)]);
  });

  it('is the escaping of e-mail bodies, so a quote reads as in the templates (&#34;)', () => {
    const mail = accountNoticeEmail({ to: 'ann@example.test', firstName: 'Ann "A." O\'Neil', subject: 'Notice', type: 'notice', paragraphs: ['Say "hi" & <wave>'] });
    expect(mail.html).toContain('<p>Dear Ann &#34;A.&#34; O&#39;Neil,</p>');
    expect(mail.html).toContain('<p>Say &#34;hi&#34; &amp; &lt;wave&gt;</p>');
    expect(mail.html).not.toContain('&quot;');
  });

  it('is the escaping of the stand-alone error page too', () => {
    const req = new http.IncomingMessage(new net.Socket());
    req.url = '/';
    req.headers.accept = 'text/html';
    const res = new http.ServerResponse(req);
    let body = '';
    res.end = ((chunk: string) => { body = chunk; return res; }) as typeof res.end;
    sendErrorAnswer(req, res, { status: 404, code: 'not_found', title: 'No "sandbox"', message: "It's <gone>", links: [{ href: '/a?b="c"', text: 'Back' }] });
    expect(body).toContain('<h1>No &#34;sandbox&#34;</h1>');
    expect(body).toContain('>It&#39;s &lt;gone&gt;</p>');
    expect(body).toContain('<a href="/a?b=&#34;c&#34;">Back</a>');
  });
});
