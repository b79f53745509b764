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
  cards: [
    { key: 'g-adams', company: 'globex', cardmemberName: 'Alice Adams', tier: 'premium', state: 'active', limitDollars: 15_000, openedDaysAgo: 900, charges: [
      { merchant: 'Skyline Airways', dollars: 1_249.5, daysAgo: 3 }, { merchant: 'Harbor Hotel', dollars: 612.4, daysAgo: 5 },
      { merchant: 'Corner Coffee', dollars: 4.75, daysAgo: 6 }, { merchant: 'Office Depot Example', dollars: 89.99, daysAgo: 12 },
      { merchant: 'Lux Watches', dollars: 4_500, daysAgo: 2, declined: 'Over the spending limit' },
    ] },
    { key: 'g-baker', company: 'globex', cardmemberName: 'Ben Baker', tier: 'standard', state: 'active', limitDollars: 5_000, openedDaysAgo: 600, charges: [
      { merchant: 'City Taxi', dollars: 38.2, daysAgo: 1 }, { merchant: 'Lunch Spot', dollars: 18.5, daysAgo: 2 },
      { merchant: 'Conference Tickets', dollars: 795, daysAgo: 20 },
    ] },
    { key: 'g-chen', company: 'globex', cardmemberName: 'Carla Chen', tier: 'business', state: 'active', limitDollars: 25_000, openedDaysAgo: 400, charges: [
      { merchant: 'Cloud Hosting Inc', dollars: 2_310.75, daysAgo: 4 }, { merchant: 'Software Licences Ltd', dollars: 1_200, daysAgo: 30 },
      { merchant: 'Unknown Merchant 42', dollars: 310, daysAgo: 7, declined: 'Suspected fraud' },
    ] },
    { key: 'g-diaz', company: 'globex', cardmemberName: 'Diego Diaz', tier: 'standard', state: 'active', limitDollars: 3_000, openedDaysAgo: 200, charges: [
      { merchant: 'Rail Express', dollars: 142, daysAgo: 8 },
    ] },
    { key: 'g-evans', company: 'globex', cardmemberName: 'Erin Evans', tier: 'prepaid', state: 'active', limitDollars: 1_000, openedDaysAgo: 100, charges: [
      { merchant: 'Parking Garage', dollars: 24, daysAgo: 3 }, { merchant: 'Fuel Stop', dollars: 61.3, daysAgo: 9 },
    ] },
    { key: 'g-fox', company: 'globex', cardmemberName: 'Frank Fox', tier: 'premium', state: 'suspended', limitDollars: 12_000, openedDaysAgo: 700, charges: [
      { merchant: 'Grand Restaurant', dollars: 380, daysAgo: 35 },
      { merchant: 'Electronics Hub', dollars: 999, daysAgo: 1, declined: 'Card suspended' },
    ] },
    { key: 'g-garcia', company: 'globex', cardmemberName: 'Gina Garcia', tier: 'business', state: 'active', limitDollars: 20_000, openedDaysAgo: 1_200, charges: [
      { merchant: 'Trade Show Booth', dollars: 5_400, daysAgo: 15 },
    ] },
    { key: 'g-hughes', company: 'globex', cardmemberName: 'Hugo Hughes', tier: 'standard', state: 'active', limitDollars: 4_000, openedDaysAgo: 800, charges: [
      { merchant: 'Bookshop', dollars: 45.9, daysAgo: 50 },
    ] },
    { key: 'g-ito', company: 'globex', cardmemberName: 'Iris Ito', tier: 'standard', state: 'active', limitDollars: 6_000, openedDaysAgo: 500, charges: [
      { merchant: 'Airport Lounge', dollars: 55, daysAgo: 11 },
    ] },
    { key: 'g-jones', company: 'globex', cardmemberName: 'Jack Jones', tier: 'premium', state: 'active', limitDollars: 10_000, openedDaysAgo: 300, charges: [
      { merchant: 'Seaside Resort', dollars: 2_150, daysAgo: 6 }, { merchant: 'Car Rental Co', dollars: 430.1, daysAgo: 6 },
    ] },
    { key: 'i-lumbergh', company: 'initech', cardmemberName: 'Bill Lumbergh', tier: 'premium', state: 'active', limitDollars: 10_000, openedDaysAgo: 1_000, charges: [
      { merchant: 'Coffee Mugs Unlimited', dollars: 120, daysAgo: 2 },
    ] },
    { key: 'i-gibbons', company: 'initech', cardmemberName: 'Peter Gibbons', tier: 'standard', state: 'active', limitDollars: 2_000, openedDaysAgo: 700, charges: [
      { merchant: 'Chotchkies', dollars: 32.4, daysAgo: 4 },
    ] },
    { key: 'i-bolton', company: 'initech', cardmemberName: 'Michael Bolton', tier: 'business', state: 'active', limitDollars: 5_000, openedDaysAgo: 650, charges: [
      { merchant: 'Printer Supplies', dollars: 260, daysAgo: 9 },
    ] },
  ],
  history: [
    { submittedBy: 'globex.primary', card: 'g-hughes', action: 'cancel', reason: 'employee_left', minutesAgo: 40 * 24 * 60 },
    { submittedBy: 'globex.primary', card: 'g-ito', action: 'replace', reason: 'lost', delivery: 'rush', minutesAgo: 20 * 24 * 60 },
    { submittedBy: 'globex.primary', card: 'g-jones', action: 'limit', newLimitDollars: 12_000, minutesAgo: 10 * 24 * 60 },
    { submittedBy: 'globex.canceller', card: 'g-diaz', action: 'suspend', reason: 'under_review', minutesAgo: 3 * 60 },
    { submittedBy: 'globex.primary', card: 'g-garcia', action: 'limit', newLimitDollars: 22_000, minutesAgo: 10 },
    { submittedBy: 'initech.primary', card: 'i-gibbons', action: 'limit', newLimitDollars: 3_000, minutesAgo: 5 * 24 * 60 },
  ],
};

export const EMPTY_SCENARIO: ScenarioDefinition = { name: 'empty', companies: [], programAdministrators: [], staff: [], cards: [], history: [] };
