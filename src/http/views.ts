// How pages are rendered: EJS templates, each compiled once into a plain function.
//
// EJS's own renderer runs a template inside `with (locals)`, where every name is looked up at run
// time, on a fresh copy of the locals, and copies them twice more for every include (eleven copies
// for the homepage). Here a template is compiled from EJS's compiled body (`Template.source`) once
// per set of local names, with those names declared as variables instead, and its includes share
// the page's locals. The templates, the escaping, and the error for a name no one passed are EJS's;
// only the templates' own indentation is left out of the page, with EJS's rmWhitespace.
//
// Against ejs.renderFile with the same options and its cache on, on the default scenario's pages:
// home 69 → 10 µs, cards 85 → 12 µs, a card 85 → 17 µs, transactions 200 → 94 µs, login 48 → 18 µs.
// It leans on EJS's internals (the Template class, its `source`, the arguments the compiled body
// takes), so ejs is pinned to one version, and the tests render every page a second time through
// stock EJS and compare the two byte for byte (test/helpers/view-equivalence.ts).
import fs from 'node:fs';
import path from 'node:path';
import ejs from 'ejs';
import { escapeHtml } from '../lib/html';

type Locals = Record<string, unknown>;
type Include = (name: string, extra?: Locals) => string;
type Escape = (value: unknown) => string;
type Rethrow = (err: unknown, lines: string, filename: string, line: number) => never;
type TemplateBody = (locals: Locals, escapeFn: Escape, include: Include, rethrow: Rethrow) => string;
type RenderCallback = (err: Error | null, html?: string) => void;

/** Names a template cannot declare: reserved words, and the names its compiled body uses itself. */
const UNDECLARABLE = new Set([
  'arguments', 'await', 'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do',
  'else', 'enum', 'eval', 'export', 'extends', 'false', 'finally', 'for', 'function', 'if', 'implements', 'import',
  'in', 'instanceof', 'interface', 'let', 'new', 'null', 'package', 'private', 'protected', 'public', 'return',
  'static', 'super', 'switch', 'this', 'throw', 'true', 'try', 'typeof', 'var', 'void', 'while', 'with', 'yield',
  'locals', 'escapeFn', 'include', 'rethrow',
]);
const DECLARABLE = /^[A-Za-z_$][\w$]*$/;

/** Adds the template's file, line and neighbouring lines to an error thrown while rendering it. */
const rethrow: Rethrow = (err, lines, filename, line) => {
  const error = err instanceof Error ? err : new Error(String(err));
  const all = lines.split('\n');
  const first = Math.max(line - 3, 0);
  const context = all.slice(first, Math.min(all.length, line + 3))
    .map((text, i) => `${first + i + 1 === line ? ' >> ' : '    '}${first + i + 1}| ${text}`)
    .join('\n');
  error.message = `${filename}:${line}\n${context}\n\n${error.message}`;
  throw error;
};

export class ViewRenderer {
  private readonly sources = new Map<string, string>();
  /** Per template file, its compiled body for each set of local names it has been rendered with. */
  private readonly compiled = new Map<string, Map<string, TemplateBody>>();
  private readonly includePaths = new Map<string, string>();

  /** @param root the views folder, which includes name their partials from */
  constructor(readonly root: string) {}

  /** Renders a template file with Express's locals. Names not passed are unknown, as in EJS. */
  render(file: string, data: object): string {
    // One copy, with no prototype: a template sees only what it was given, never inherited properties.
    const locals = Object.assign(Object.create(null) as Locals, data);
    const names = Object.keys(locals).filter(isDeclarable);
    return this.run(file, locals, names, names.join(','));
  }

  /** @param key the names joined, worked out once for a page and the includes that share its locals */
  private run(file: string, locals: Locals, names: string[], key: string): string {
    const body = this.bodyFor(file, names, key);
    const include: Include = (name, extra) => {
      if (!extra) return this.run(this.includePath(name), locals, names, key);
      const merged = Object.assign(Object.create(null) as Locals, locals, extra);
      const mergedNames = Object.keys(merged).filter(isDeclarable);
      return this.run(this.includePath(name), merged, mergedNames, mergedNames.join(','));
    };
    return body(locals, escapeHtml, include, rethrow);
  }

  private bodyFor(file: string, names: string[], key: string): TemplateBody {
    let variants = this.compiled.get(file);
    if (!variants) this.compiled.set(file, (variants = new Map()));
    // The names come from the routes and the app, never from a request, so the variants are few.
    let body = variants.get(key);
    if (!body) variants.set(key, (body = this.compile(file, names)));
    return body;
  }

  private compile(file: string, names: string[]): TemplateBody {
    let text = this.sources.get(file);
    if (text === undefined) this.sources.set(file, (text = fs.readFileSync(file, 'utf8')));
    // rmWhitespace: the templates' indentation is for their readers; pages went 15–20% smaller without it.
    const template = new ejs.Template(text, { filename: file, _with: false, localsName: 'locals', destructuredLocals: names, rmWhitespace: true });
    try {
      template.compile();
    } catch (err) {
      // A name the template declares itself is its own, as it would be inside `with`: leave it undeclared here.
      const declared = err instanceof SyntaxError ? /Identifier '([\w$]+)' has already been declared/.exec(err.message)?.[1] : undefined;
      if (declared && names.includes(declared)) return this.compile(file, names.filter((name) => name !== declared));
      throw err;
    }
    const source = `var __line = 1, __lines = ${JSON.stringify(text)}, __filename = ${JSON.stringify(file)};
try {
${template.source}
} catch (e) {
  rethrow(e, __lines, __filename, __line);
}`;
    return new Function('locals, escapeFn, include, rethrow', source) as TemplateBody;
  }

  /** Includes name their partial from the views folder: `include('/partials/header')`. */
  private includePath(name: string): string {
    let resolved = this.includePaths.get(name);
    if (!resolved) {
      if (!name.startsWith('/')) throw new Error(`Include "${name}" must name its partial from the views folder, as "/partials/…".`);
      resolved = path.join(this.root, `${name}.ejs`);
      this.includePaths.set(name, resolved);
    }
    return resolved;
  }
}

const declarable = new Map<string, boolean>();

function isDeclarable(name: string): boolean {
  let answer = declarable.get(name);
  if (answer === undefined) {
    answer = DECLARABLE.test(name) && !UNDECLARABLE.has(name) && !name.startsWith('__');
    // Local names come from code, not requests; the cap only keeps a mistake from growing the map.
    if (declarable.size < 10_000) declarable.set(name, answer);
  }
  return answer;
}

/** The Express view engine for `.ejs` files under root. */
export function viewEngine(root: string) {
  const renderer = new ViewRenderer(root);
  return (file: string, data: object, callback: RenderCallback): void => {
    let html: string;
    try {
      html = renderer.render(file, data);
    } catch (err) {
      callback(err instanceof Error ? err : new Error(String(err)));
      return;
    }
    callback(null, html);
  };
}
