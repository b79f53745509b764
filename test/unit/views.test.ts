import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ViewRenderer } from '../../src/http/views';
import { projectPath } from '../../src/lib/project-root';

const VIEWS = projectPath('views');
const templates = (fs.readdirSync(VIEWS, { recursive: true }) as string[]).filter((file) => file.endsWith('.ejs'));

describe('views', () => {
  it('name every include from the views folder, and each names a template that exists', () => {
    const includes = templates.flatMap((file) => [...fs.readFileSync(path.join(VIEWS, file), 'utf8').matchAll(/include\(\s*(['"])([^'"]+)\1/g)]
      .map((match) => ({ file, name: match[2]! })));
    expect(includes.length).toBeGreaterThan(100);
    for (const { file, name } of includes) {
      // The renderer resolves includes from the views folder only (src/http/views.ts).
      expect([file, name.startsWith('/')]).toEqual([file, true]);
      expect([file, fs.existsSync(path.join(VIEWS, `${name}.ejs`))]).toEqual([file, true]);
    }
  });
});

describe('ViewRenderer', () => {
  let root: string;
  let renderer: ViewRenderer;
  const write = (name: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), text);
  };
  const render = (name: string, data: object) => renderer.render(path.join(root, name), data);

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'atwork-views-'));
    renderer = new ViewRenderer(root);
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('renders locals by name, escaping <%= and not <%-', () => {
    write('page.ejs', '<p><%= title %></p><%- html %><% if (locals.missing) { %>never<% } %>');
    expect(render('page.ejs', { title: '<b>"Tom" & Jerry\'s</b>', html: '<i>raw</i>' }))
      .toBe('<p>&lt;b&gt;&#34;Tom&#34; &amp; Jerry&#39;s&lt;/b&gt;</p><i>raw</i>');
  });

  it('leaves out the template’s indentation, never a value’s own whitespace', () => {
    write('page.ejs', '<ul>\n    <% items.forEach(function (item) { %>\n      <li><%= item %> <b>x</b></li>\n    <% }) %>\n\n  </ul>\n  <pre><%= text %></pre>\n');
    expect(render('page.ejs', { items: ['a', 'b'], text: '  two\n    lines  ' }))
      .toBe('<ul>\n\n<li>a <b>x</b></li>\n\n<li>b <b>x</b></li>\n\n</ul>\n<pre>  two\n    lines  </pre>');
  });

  it('renders the same template with different locals, each time with its own', () => {
    write('page.ejs', '<%= a %>-<%= typeof b === "undefined" ? "none" : b %>');
    expect(render('page.ejs', { a: 1 })).toBe('1-none');
    expect(render('page.ejs', { a: 2, b: 3 })).toBe('2-3');
    expect(render('page.ejs', { a: 4 })).toBe('4-none');
  });

  it('gives includes the page’s locals, and the partial alone what the include adds', () => {
    write('partials/field.ejs', '[<%= label %>:<%= user %>]');
    write('partials/frame.ejs', '<<%= user %>>');
    write('page.ejs', '<%- include("/partials/frame") %><%- include("/partials/field", { label: "Name" }) %><%= typeof label %>');
    expect(render('page.ejs', { user: 'ann' })).toBe('<ann>[Name:ann]undefined');
  });

  it('lets a name the template declares itself win over a local of that name, as inside `with`', () => {
    write('page.ejs', '<% const shown = "declared"; %><%= shown %>');
    expect(render('page.ejs', { shown: 'passed' })).toBe('declared');
  });

  it('shows nothing a template was not given, not even inherited properties', () => {
    write('page.ejs', '<%= typeof locals.inherited %>');
    const data = Object.create({ inherited: 'from a prototype' }) as object;
    expect(render('page.ejs', data)).toBe('undefined');
  });

  it('names the file and line of a name no one passed', () => {
    write('page.ejs', 'one\n<%= two %>\nthree');
    expect(() => render('page.ejs', {})).toThrow(/page\.ejs:2\n[\s\S]* >> 2\| <%= two %>[\s\S]*two is not defined/);
  });

  it('refuses an include that does not name its partial from the views folder', () => {
    write('page.ejs', '<%- include("partials/frame") %>');
    expect(() => render('page.ejs', {})).toThrow(/must name its partial from the views folder/);
  });
});
