// The built-in scenarios written as data: scenarios/default.json (PRODUCT.md §4: Globex with a PA in
// every account state, Initech for isolation tests, two help-desk staff) and scenarios/empty.json.
// They are checked like any loaded scenario, so a mistake in one fails at start, not halfway through a load.
import fs from 'node:fs';
import { projectPath } from '../src/lib/project-root';
import { validScenario } from '../src/features/scenarios/scenario-validation';
import type { ScenarioDefinition } from './scenario';

/** Where the built-in scenario files are. */
export const BUILT_IN_SCENARIO_DIR = projectPath('scenarios');

function readBuiltInScenario(name: string): ScenarioDefinition {
  return validScenario(JSON.parse(fs.readFileSync(`${BUILT_IN_SCENARIO_DIR}/${name}.json`, 'utf8')));
}

export const DEFAULT_SCENARIO: ScenarioDefinition = readBuiltInScenario('default');
export const EMPTY_SCENARIO: ScenarioDefinition = readBuiltInScenario('empty');
