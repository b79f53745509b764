// What the simulator's controls act on beyond one sandbox: the scenarios it knows, the scenario
// templates and the registry of open sandboxes. The composition root (simulator.ts) makes them; the controls only receive them.
import type { SandboxRegistry } from './sandbox-registry';
import type { ScenarioTemplates } from './scenario-templates';
import type { ScenarioCatalog } from '../scenarios/scenario-catalog';

export interface SimulatorControls {
  scenarios: ScenarioCatalog;
  templates: ScenarioTemplates;
  sandboxes: SandboxRegistry;
}
