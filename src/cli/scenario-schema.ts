// npm run scenarios:schema — writes scenarios/scenario.schema.json from the scenario format's zod
// schema; a test fails while the file in the repository is not what this writes.
import fs from 'node:fs';
import { SCENARIO_JSON_SCHEMA_FILE, scenarioJsonSchemaText } from '../features/scenarios/scenario-json-schema';

fs.writeFileSync(SCENARIO_JSON_SCHEMA_FILE, scenarioJsonSchemaText());
console.log(`${SCENARIO_JSON_SCHEMA_FILE} is written`);
