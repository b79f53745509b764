// The simulator's controls over a sandbox: personas, scenario reset, clock, outbox.
import { findScenario } from '../../../seed/load-scenario';
import type { SimulatorControls } from '../../simulator';
import type { AppContext } from '../../context';
import { AppError } from '../../lib/errors';
import { APP_VERSION } from '../../lib/version';
import { currentScenarioName, seededAdministrators, staffUsers } from './sim.repository';

export interface Persona {
  userId: string;
  password: string;
  email: string;
  verificationPin: string | null;
  verificationWord: string | null;
  accessCode: string | null;
  role: 'program_administrator' | 'agent' | 'supervisor';
  primary: boolean;
  company: string | null;
  permissions: string[];
  state: string;
}

export function health(context: AppContext) {
  return { ok: true, version: APP_VERSION, now: context.clock.now().toISOString(), sandbox: context.sandboxId };
}

/** Every seeded person with the credentials the scenario gave them and their state right now. */
export function listPersonas(context: AppContext): Persona[] {
  const scenario = findScenario(currentScenarioName(context.db));
  if (!scenario) return [];
  const liveAdministrators = new Map(seededAdministrators(context.db).map((row) => [row.persona_key, row]));
  const liveStaff = new Map(staffUsers(context.db).map((row) => [row.staff_id.toLowerCase(), row]));
  const administrators = scenario.programAdministrators.flatMap((seed): Persona[] => {
    const live = liveAdministrators.get(seed.userId);
    if (!live) return [];
    return [{
      userId: seed.userId,
      password: seed.password,
      email: live.email,
      verificationPin: seed.verificationPin,
      verificationWord: seed.verificationWord,
      // The seeded code is only worth showing while it can still be used.
      accessCode: live.state === 'pending' ? (seed.accessCode ?? null) : null,
      role: 'program_administrator',
      primary: live.is_primary === 1,
      company: live.company_name,
      permissions: live.permissions ? live.permissions.split(',') : [],
      state: live.state,
    }];
  });
  const staff = scenario.staff.flatMap((seed): Persona[] => {
    const live = liveStaff.get(seed.staffId.toLowerCase());
    if (!live) return [];
    return [{
      userId: seed.staffId,
      password: seed.password,
      email: live.email,
      verificationPin: null,
      verificationWord: null,
      accessCode: null,
      role: live.role as Persona['role'],
      primary: false,
      company: null,
      permissions: [],
      state: live.state,
    }];
  });
  return [...administrators, ...staff];
}

/** Restores the sandbox to a named scenario: data, clock, outbox and sessions alike. */
export async function resetSandbox(simulator: SimulatorControls, sandboxId: string, scenarioName: string, seed?: number): Promise<{ scenario: string; personas: Persona[] }> {
  const scenario = findScenario(scenarioName);
  if (!scenario) throw new AppError(400, 'unknown_scenario', `There is no scenario named "${scenarioName}".`);
  const sandbox = await simulator.sandboxes.reset(sandboxId, scenario.name, seed);
  return { scenario: scenario.name, personas: listPersonas(sandbox.context) };
}

export function clockState(context: AppContext) {
  return { now: context.clock.now().toISOString() };
}
