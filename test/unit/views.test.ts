import fs from 'node:fs';
import path from 'node:path';
import { projectPath } from '../../src/lib/project-root';

const VIEWS = projectPath('views');
const templates = (fs.readdirSync(VIEWS, { recursive: true }) as string[]).filter((file) => file.endsWith('.ejs'));

describe('views', () => {
  it('name every include from the views folder, and each names a template that exists', () => {
    const includes = templates.flatMap((file) => [...fs.readFileSync(path.join(VIEWS, file), 'utf8').matchAll(/include\(\s*(['"])([^'"]+)\1/g)]
      .map((match) => ({ file, name: match[2]! })));
    expect(includes.length).toBeGreaterThan(100);
    for (const { file, name } of includes) {
      // A relative include costs a filesystem check per render (src/http/views.ts).
      expect([file, name.startsWith('/')]).toEqual([file, true]);
      expect([file, fs.existsSync(path.join(VIEWS, `${name}.ejs`))]).toEqual([file, true]);
    }
  });
});
