// The scenario format: one zod schema, its JSON Schema file kept as generated, the built-in scenarios
// written in it, and every problem of a bad document reported with its JSON path.
import fs from 'node:fs';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { DEFAULT_SCENARIO } from '../../seed/default-scenario';
import { scenarioFingerprint } from '../../src/features/sandboxes/scenario-templates';
import { SCENARIO_JSON_SCHEMA_FILE, scenarioJsonSchemaText } from '../../src/features/scenarios/scenario-json-schema';
import { checkScenario, jsonPath } from '../../src/features/scenarios/scenario-validation';
import { projectPath } from '../../src/lib/project-root';

const readJson = (...parts: string[]): unknown => JSON.parse(fs.readFileSync(projectPath(...parts), 'utf8'));

const SMALL = {
  name: 'small',
  companies: [{ key: 'acme', name: 'Acme', programNumber: 'ACM-1', maxCardLimitCents: 1_000_000 }],
  programAdministrators: [{
    userId: 'acme.pa', company: 'acme', firstName: 'Ada', lastName: 'Ames', email: 'ada@acme.example', phone: '+15555550100', primary: true,
    state: 'active', permissions: ['cards.view'], password: 'Long-Enough-Secret-1', verificationPin: '1234', verificationWord: 'anvil',
  }],
  cards: [{ key: 'a1', company: 'acme', cardmemberName: 'Ada Ames', tier: 'standard', state: 'lost_stolen', limitDollars: 500, openedDaysAgo: 30 }],
  transactions: [{
    company: 'acme', type: 'card_cancel', status: 'rejected', submittedBy: 'acme.pa', card: 'a1', summary: 'Cancel card', rejectionReason: 'No.',
    events: [{ minutesAgo: 90, status: 'submitted', actor: 'acme.pa' }, { minutesAgo: 30, status: 'in_progress', actor: 'system' }, { minutesAgo: 10, status: 'rejected', actor: 'system', note: 'No.' }],
  }],
};

describe('the scenario format', () => {
  it('is published in the repository as the JSON Schema its zod schema generates (npm run scenarios:schema rewrites it)', () => {
    expect(fs.readFileSync(SCENARIO_JSON_SCHEMA_FILE, 'utf8')).toBe(scenarioJsonSchemaText());
  });

  it.each(['default', 'empty'])('holds the built-in %s scenario, valid by both the zod schema and its JSON Schema', (name) => {
    const document = readJson('scenarios', `${name}.json`);
    expect(checkScenario(document)).toMatchObject({ ok: true });
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(readJson('scenarios', 'scenario.schema.json') as object);
    expect(validate(document) ? [] : validate.errors).toEqual([]);
  });

  it('accepts cards in any state and transactions in any status with their history', () => {
    expect(checkScenario(SMALL)).toMatchObject({ ok: true });
  });

  it('takes a phone on file in E.164 only, and none at all', () => {
    const withPhone = (phone: string | undefined) => ({ ...SMALL, programAdministrators: [{ ...SMALL.programAdministrators[0], phone }] });
    expect(checkScenario(withPhone(undefined))).toMatchObject({ ok: true });
    expect(checkScenario(withPhone('+442079460018'))).toMatchObject({ ok: true });
    for (const phone of ['555-0100', '15555550100', '+1555', '+1234567890123456', '']) {
      const checked = checkScenario(withPhone(phone));
      expect([phone, Object.keys(checked.ok ? {} : checked.problems)]).toEqual([phone, ['programAdministrators[0].phone']]);
    }
  });

  it('writes paths as people do', () => {
    expect(jsonPath(['cards', 3, 'state'])).toBe('cards[3].state');
    expect(jsonPath([])).toBe('$');
  });

  it('lists every problem of the shape with its JSON path', () => {
    const bad = { ...SMALL, cards: [{ ...SMALL.cards[0], state: 'melted' }, { ...SMALL.cards[0], key: 'a2', tier: 'gold' }], extra: 1 };
    const checked = checkScenario(bad);
    expect(checked.ok).toBe(false);
    expect(Object.keys(checked.ok ? {} : checked.problems).sort()).toEqual(['$', 'cards[0].state', 'cards[1].tier']);
  });

  it('lists every reference that does not resolve, and every repeated key', () => {
    const bad = {
      ...SMALL,
      cards: [...SMALL.cards, { ...SMALL.cards[0], company: 'globex' }],
      transactions: [{ ...SMALL.transactions[0], card: 'zz' }, { ...SMALL.transactions[0], company: 'nope', card: undefined }],
      history: [{ submittedBy: 'nobody', card: 'a1', action: 'suspend', minutesAgo: 5 }],
    };
    const checked = checkScenario(bad);
    expect(checked.ok ? {} : checked.problems).toEqual({
      'cards[1].key': expect.any(String),
      'cards[1].company': 'No company has the key "globex".',
      'transactions[0].card': 'No card has the key "zz".',
      'transactions[1].company': 'No company has the key "nope".',
      'history[0].submittedBy': 'No registered PA has the user ID "nobody".',
    });
  });

  it('holds a transaction\'s history to its status', () => {
    const events = [{ minutesAgo: 5, status: 'in_progress', actor: 'system' }, { minutesAgo: 9, status: 'completed', actor: 'system' }];
    const checked = checkScenario({ ...SMALL, transactions: [{ ...SMALL.transactions[0], events }] });
    expect(Object.keys(checked.ok ? {} : checked.problems).sort())
      .toEqual(['transactions[0].events[0].status', 'transactions[0].events[1].minutesAgo', 'transactions[0].events[1].status']);
  });

  it('names a scenario\'s templates by its document too: any change to the file makes new ones', () => {
    const code = '0123456789abcdef';
    const changed = { ...DEFAULT_SCENARIO, cards: DEFAULT_SCENARIO.cards.map((card, i) => (i === 0 ? { ...card, limitDollars: card.limitDollars + 1 } : card)) };
    expect(scenarioFingerprint(code, DEFAULT_SCENARIO)).toBe(scenarioFingerprint(code, { ...DEFAULT_SCENARIO }));
    expect(scenarioFingerprint(code, changed)).not.toBe(scenarioFingerprint(code, DEFAULT_SCENARIO));
    expect(scenarioFingerprint('fedcba9876543210', DEFAULT_SCENARIO)).not.toBe(scenarioFingerprint(code, DEFAULT_SCENARIO));
  });
});
