// Where migrations, views and public files live, whether we run from src/ (tests, tsx) or dist/.
import fs from 'node:fs';
import path from 'node:path';

function findProjectRoot(start: string): string {
  let dir = start;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`package.json not found above ${start}`);
    dir = parent;
  }
  return dir;
}

export const PROJECT_ROOT = findProjectRoot(__dirname);
export const projectPath = (...parts: string[]): string => path.join(PROJECT_ROOT, ...parts);
