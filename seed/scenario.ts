// The shape of a scenario: the companies, program administrators and staff a sandbox starts with.
import type { Permission } from '../src/features/permissions/permissions';
import type { LargeScenarioSize } from './large-scenario';

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

export interface ChargeSeed {
  merchant: string;
  dollars: number;
  daysAgo: number;
  /** Set for a declined charge: why it was declined. */
  declined?: string;
}

export interface CardSeed {
  /** How history entries refer to this card. */
  key: string;
  company: string;
  cardmemberName: string;
  tier: 'standard' | 'premium' | 'business' | 'prepaid';
  /** The state before any seeded request runs; requests in `history` may change it. */
  state: 'active' | 'suspended';
  limitDollars: number;
  openedDaysAgo: number;
  charges: ChargeSeed[];
}

/** A request made before the scenario starts; the clock's due work then carries it as far as it got. */
export interface RequestSeed {
  submittedBy: string;
  card: string;
  action: 'cancel' | 'replace' | 'suspend' | 'reinstate' | 'limit';
  /** Minutes before the scenario's start. */
  minutesAgo: number;
  reason?: string;
  delivery?: 'standard' | 'rush';
  newLimitDollars?: number;
}

export interface ScenarioDefinition {
  name: string;
  companies: CompanySeed[];
  programAdministrators: ProgramAdministratorSeed[];
  staff: StaffSeed[];
  cards: CardSeed[];
  history: RequestSeed[];
  /** Bulk data generated on top (the `large` scenario). */
  volume?: LargeScenarioSize;
}
