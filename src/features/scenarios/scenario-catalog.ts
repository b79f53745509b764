// The scenarios this process knows: the built-in ones, those read at start from SCENARIOS_DIR, and
// those a script loaded (POST /sim/api/scenarios), which every sandbox can use and which are kept in
// DATA_DIR/scenarios across restarts. A document is checked wholly before anything is written.
import fs from 'node:fs';
import path from 'node:path';
import { SCENARIOS, findScenario } from '../../../seed/load-scenario';
import type { ScenarioDefinition } from '../../../seed/scenario';
import { AppError } from '../../lib/errors';
import { compactJson } from './compact-json';
import { validScenario } from './scenario-validation';

/** Enough for a few thousand cards with their charges; a larger body is refused before it is read. */
export const MAX_SCENARIO_BYTES = 2 * 1024 * 1024;
/** Loaded scenarios each cost a file and, once used, a template: a bound keeps a runaway script from filling the disk. */
export const MAX_LOADED_SCENARIOS = 50;

export interface LoadedScenario {
  name: string;
  /** True when it took the place of a loaded scenario of that name. */
  replaced: boolean;
}

function readScenarioFile(file: string): ScenarioDefinition {
  try {
    return validScenario(JSON.parse(fs.readFileSync(file, 'utf8')));
  } catch (err) {
    const detail = err instanceof AppError && err.fields ? JSON.stringify(err.fields) : String(err);
    throw new Error(`The scenario file ${file} is not valid: ${detail}`);
  }
}

const jsonFiles = (directory: string): string[] => (fs.existsSync(directory)
  ? fs.readdirSync(directory).filter((name) => name.endsWith('.json')).sort().map((name) => path.join(directory, name))
  : []);

export class ScenarioCatalog {
  private readonly loaded = new Map<string, ScenarioDefinition>();
  /** Names loads are writing now: a second load of one waits for none, it is refused. */
  private readonly writing = new Set<string>();

  /**
   * Reads, at start, the scenarios kept in `directory` and then those in `folder` (SCENARIOS_DIR),
   * which win over kept ones of the same name. A bad file stops the start: better than a missing scenario later.
   */
  constructor(private readonly directory: string, folder?: string) {
    fs.mkdirSync(directory, { recursive: true });
    for (const file of [...jsonFiles(directory), ...(folder ? jsonFiles(folder) : [])]) {
      const scenario = readScenarioFile(file);
      if (Object.hasOwn(SCENARIOS, scenario.name)) throw new Error(`The scenario file ${file} is named "${scenario.name}", a built-in scenario.`);
      this.loaded.set(scenario.name, scenario);
    }
  }

  find(name: string): ScenarioDefinition | undefined {
    return findScenario(name) ?? this.loaded.get(name);
  }

  names(): string[] {
    return [...Object.keys(SCENARIOS), ...[...this.loaded.keys()].sort()];
  }

  /** Checks the document wholly, keeps it in DATA_DIR, then makes it usable; nothing changes when it is refused. */
  async load(input: unknown): Promise<LoadedScenario> {
    const scenario = validScenario(input);
    const { name } = scenario;
    if (Object.hasOwn(SCENARIOS, name)) throw new AppError(409, 'built_in_scenario', `"${name}" is a built-in scenario; choose another name.`);
    if (this.writing.has(name)) throw new AppError(409, 'scenario_busy', `The scenario "${name}" is being loaded by another request.`);
    const replaced = this.loaded.has(name);
    if (!replaced && this.loaded.size + this.writing.size >= MAX_LOADED_SCENARIOS) {
      throw new AppError(409, 'too_many_scenarios', `At most ${MAX_LOADED_SCENARIOS} scenarios can be loaded.`);
    }
    this.writing.add(name);
    try {
      const file = path.join(this.directory, `${name}.json`);
      await fs.promises.writeFile(`${file}.next`, `${compactJson(scenario)}\n`);
      await fs.promises.rename(`${file}.next`, file);
      this.loaded.set(name, scenario);
    } finally {
      this.writing.delete(name);
    }
    return { name, replaced };
  }
}
