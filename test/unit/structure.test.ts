// The shape of the code: imports flow one way (no module reaches itself again through its imports,
// type-only imports included), and no source file grows past what a reader takes in at once.
import fs from 'node:fs';
import path from 'node:path';
import madge from 'madge';
import { projectPath } from '../../src/lib/project-root';

/** The most lines a source file may have before it should be split by what it does. */
const MAX_SOURCE_LINES = 400;

function sourceFiles(folder: string): string[] {
  return fs.readdirSync(projectPath(folder), { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.(ts|js|mjs)$/.test(file))
    .map((file) => path.join(folder, file));
}

describe('the source tree', () => {
  it('has no import cycle in src/, counting type-only imports', async () => {
    const graph = await madge(projectPath('src'), {
      fileExtensions: ['ts'],
      tsConfig: projectPath('tsconfig.json'),
      // Type-only imports tie modules together as much as any other: count them.
      detectiveOptions: { ts: { skipTypeImports: false }, tsx: { skipTypeImports: false } },
    });
    expect(Object.keys(graph.obj()).length).toBeGreaterThan(50);
    expect(graph.circular()).toEqual([]);
  }, 30_000);

  it('has routes that call services only: no route module imports a repository for anything but its types', () => {
    const routes = sourceFiles('src/features').filter((file) => file.endsWith('.routes.ts'));
    expect(routes.length).toBeGreaterThan(8);
    const reaching = routes.flatMap((file) => [...fs.readFileSync(projectPath(file), 'utf8').matchAll(/^import (?!type )[^;]*from '([^']*\.repository)';/gm)]
      .map((match) => `${file} → ${match[1]}`));
    expect(reaching).toEqual([]);
  });

  it(`has no source file over ${MAX_SOURCE_LINES} lines`, () => {
    const files = ['src', 'seed', 'bin', 'bench', 'public'].flatMap(sourceFiles);
    expect(files.length).toBeGreaterThan(50);
    const long = files
      .map((file) => [file, fs.readFileSync(projectPath(file), 'utf8').split('\n').length - 1] as const)
      .filter(([, lines]) => lines > MAX_SOURCE_LINES);
    expect(long).toEqual([]);
  });
});
