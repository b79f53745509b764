// The scenario format's JSON Schema, generated from its zod schema, as served and as kept in scenarios/.
import { projectPath } from '../../lib/project-root';
import { compactJson } from './compact-json';
import { scenarioJsonSchema } from './scenario-schema';

export const SCENARIO_JSON_SCHEMA_FILE = projectPath('scenarios', 'scenario.schema.json');

/** The file's text exactly: what the repository holds, and what the test compares it with. */
export function scenarioJsonSchemaText(): string {
  return `${compactJson(scenarioJsonSchema())}\n`;
}
