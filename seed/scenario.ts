// A scenario as the loader takes it: a document of the scenario format (src/features/scenarios),
// plus, for the `large` scenario only, bulk data generated on top.
import type { ScenarioDocument } from '../src/features/scenarios/scenario-schema';
import type { LargeScenarioSize } from './large-scenario';

export type { PaState, ProgramAdministratorSeed, StaffSeed } from '../src/features/scenarios/scenario-schema';

export type ScenarioDefinition = ScenarioDocument & {
  /** Bulk data generated on top (the `large` scenario). */
  volume?: LargeScenarioSize;
};
