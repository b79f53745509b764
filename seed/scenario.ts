// The shape of a scenario: the companies, program administrators and staff a sandbox starts with.
import type { Permission } from '../src/features/permissions/permissions';

export type PaState = 'pending' | 'active' | 'inactive' | 'locked' | 'suspended';
export type StaffRole = 'agent' | 'supervisor';

export interface CompanySeed {
  key: string;
  name: string;
  programNumber: string;
  maxCardLimitCents: number;
}

export interface ProgramAdministratorSeed {
  /** The user ID scripts log in with (for a pending PA: the one they choose at registration). */
  userId: string;
  company: string;
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
  primary: boolean;
  state: PaState;
  permissions: Permission[];
  password: string;
  verificationPin: string;
  verificationWord: string;
  /** For a pending PA: the Access Code its Welcome e-mail carries. */
  accessCode?: string;
  /** Days before the scenario's start of the last successful login (or registration). */
  lastLoginDaysAgo?: number;
}

export interface StaffSeed {
  staffId: string;
  name: string;
  email: string;
  role: StaffRole;
  password: string;
}

export interface ScenarioDefinition {
  name: string;
  companies: CompanySeed[];
  programAdministrators: ProgramAdministratorSeed[];
  staff: StaffSeed[];
}
