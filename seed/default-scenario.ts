// The default scenario of PRODUCT.md §4: Globex with a PA in every account state, Initech for
// isolation tests, and two help-desk staff. Credentials are public test data, by design.
import { ALL_PERMISSIONS } from '../src/features/permissions/permissions';
import type { ScenarioDefinition } from './scenario';

export const DEFAULT_SCENARIO: ScenarioDefinition = {
  name: 'default',
  companies: [
    { key: 'globex', name: 'Globex Corporation', programNumber: 'GLX-400-1001', maxCardLimitCents: 5_000_000 },
    { key: 'initech', name: 'Initech LLC', programNumber: 'INI-400-2002', maxCardLimitCents: 2_500_000 },
  ],
  programAdministrators: [
    {
      userId: 'globex.primary', company: 'globex', firstName: 'Hank', lastName: 'Scorpio',
      email: 'hank.scorpio@globex.example', phone: '555-010-1001', primary: true, state: 'active',
      permissions: ALL_PERMISSIONS, password: 'Volcano-Lair-2026', verificationPin: '4821',
      verificationWord: 'hammock', lastLoginDaysAgo: 2,
    },
    {
      userId: 'globex.viewer', company: 'globex', firstName: 'Vera', lastName: 'Viewer',
      email: 'vera.viewer@globex.example', phone: '555-010-1002', primary: false, state: 'active',
      permissions: ['cards.view', 'statements.view'], password: 'Quiet-Window-2026', verificationPin: '3157',
      verificationWord: 'lantern', lastLoginDaysAgo: 5,
    },
    {
      userId: 'globex.canceller', company: 'globex', firstName: 'Carl', lastName: 'Cutter',
      email: 'carl.cutter@globex.example', phone: '555-010-1003', primary: false, state: 'active',
      permissions: ['cards.view', 'cards.cancel'], password: 'Scissor-Bridge-2026', verificationPin: '6044',
      verificationWord: 'granite', lastLoginDaysAgo: 10,
    },
    {
      userId: 'globex.inactive', company: 'globex', firstName: 'Ida', lastName: 'Idle',
      email: 'ida.idle@globex.example', phone: '555-010-1004', primary: false, state: 'inactive',
      permissions: ['cards.view', 'statements.view'], password: 'Sleepy-Meadow-2026', verificationPin: '7390',
      verificationWord: 'thistle', lastLoginDaysAgo: 130,
    },
    {
      userId: 'globex.locked', company: 'globex', firstName: 'Lou', lastName: 'Locke',
      email: 'lou.locke@globex.example', phone: '555-010-1005', primary: false, state: 'locked',
      permissions: ['cards.view', 'statements.view'], password: 'Rusty-Padlock-2026', verificationPin: '2468',
      verificationWord: 'compass', lastLoginDaysAgo: 3,
    },
    {
      userId: 'globex.suspended', company: 'globex', firstName: 'Sue', lastName: 'Spence',
      email: 'sue.spence@globex.example', phone: '555-010-1006', primary: false, state: 'suspended',
      permissions: ['cards.view', 'statements.view'], password: 'Frozen-Harbor-2026', verificationPin: '1357',
      verificationWord: 'pelican', lastLoginDaysAgo: 4,
    },
    {
      userId: 'globex.pending', company: 'globex', firstName: 'Penny', lastName: 'Newman',
      email: 'penny.newman@globex.example', phone: '555-010-1007', primary: false, state: 'pending',
      permissions: ['cards.view', 'statements.view'], password: 'Fresh-Start-Line-2026', verificationPin: '8642',
      verificationWord: 'sparrow', accessCode: 'GPND-7K3M-Q9RT',
    },
    {
      userId: 'initech.primary', company: 'initech', firstName: 'Bill', lastName: 'Lumbergh',
      email: 'bill.lumbergh@initech.example', phone: '555-020-2001', primary: true, state: 'active',
      permissions: ALL_PERMISSIONS, password: 'Red-Stapler-2026', verificationPin: '5150',
      verificationWord: 'tps-report', lastLoginDaysAgo: 1,
    },
  ],
  staff: [
    { staffId: 'agent.ava', name: 'Ava Agent', email: 'ava@helpdesk.example', role: 'agent', password: 'Headset-Queue-2026' },
    { staffId: 'super.sam', name: 'Sam Supervisor', email: 'sam@helpdesk.example', role: 'supervisor', password: 'Escalation-Desk-2026' },
  ],
};

export const EMPTY_SCENARIO: ScenarioDefinition = { name: 'empty', companies: [], programAdministrators: [], staff: [] };
