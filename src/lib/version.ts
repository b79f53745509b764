// The package version, read once, for /sim/api/health.
import fs from 'node:fs';
import { projectPath } from './project-root';

export const APP_VERSION = (JSON.parse(fs.readFileSync(projectPath('package.json'), 'utf8')) as { version: string }).version;
