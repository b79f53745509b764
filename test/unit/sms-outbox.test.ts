import { openDatabase, type Database } from '../../src/db/database';
import { migrate } from '../../src/db/migrate';
import { FaultInjector } from '../../src/features/faults/fault-injector';
import { EventJournal } from '../../src/features/journal/journal.service';
import { SmsOutbox } from '../../src/features/sms/sms.service';
import { SimulatedClock } from '../../src/lib/clock';
import { textablePhone } from '../../src/lib/phone-number';

const NOW = Date.parse('2026-03-02T09:00:00.000Z');
let db: Database;
let faults: FaultInjector;
let sms: SmsOutbox;
let journal: EventJournal;

beforeEach(() => {
  db = openDatabase(':memory:');
  migrate(db);
  faults = new FaultInjector();
  sms = new SmsOutbox(db, new SimulatedClock(db, () => NOW), faults);
  journal = new EventJournal(db);
});
afterEach(() => db.close());

const code = (to: string, value = '123456') => ({ to, type: 'two_step_code' as const, text: `Your @Work code is ${value}.`, data: { code: value } });

describe('textablePhone', () => {
  it('keeps an E.164 number and reads a North American one written for people', () => {
    expect(textablePhone('+15555550142')).toBe('+15555550142');
    expect(textablePhone('+44 20 7946 0018')).toBe('+442079460018');
    expect(textablePhone('555-010-1001')).toBe('+15550101001');
    expect(textablePhone('(555) 010 9999')).toBe('+15550109999');
    expect(textablePhone('1 555 010 9999')).toBe('+15550109999');
  });

  it('finds no number in nothing, a short number or letters', () => {
    for (const phone of [null, undefined, '', '555-0100', '+1234567', 'call me', '+1555555014299999']) expect(textablePhone(phone)).toBeUndefined();
  });
});

describe('SmsOutbox', () => {
  it('captures a text under its E.164 number, with its parsed data, and journals it without the text or code', () => {
    const sent = sms.send(code('555-555-0142', '246810'));
    expect(sent).toEqual({ id: 1, to: '+15555550142', type: 'two_step_code', text: 'Your @Work code is 246810.', data: { code: '246810' }, sentAt: new Date(NOW).toISOString() });
    expect(sms.list()).toEqual([sent]);
    const [event] = journal.list({});
    expect(event).toMatchObject({ type: 'sms.sent', actor: 'system', subject: 'sms:+15555550142', data: { smsId: 1, smsType: 'two_step_code', to: '+15555550142' } });
    expect(JSON.stringify(event)).not.toContain('246810');
  });

  it('filters by number (in any form) and by type', () => {
    sms.send(code('+15555550101'));
    sms.send({ to: '+15555550102', type: 'fraud_notice', text: 'Call us.' });
    sms.send(code('+15555550102'));
    expect(sms.list({ to: '555-555-0102' }).map((m) => m.id)).toEqual([2, 3]);
    expect(sms.list({ type: 'two_step_code' }).map((m) => m.id)).toEqual([1, 3]);
    expect(sms.list({ to: '+15555550102', type: 'fraud_notice' }).map((m) => m.id)).toEqual([2]);
    expect(sms.list({ to: 'nobody' })).toEqual([]);
  });

  it('refuses a number no text could reach', () => {
    expect(() => sms.send(code('555-0100'))).toThrow(/No text can be sent/);
  });

  it('answers a wait at once with a text already sent, else as soon as one arrives, else undefined at the timeout', async () => {
    sms.send(code('+15555550101', '111111'));
    await expect(sms.waitFor({ to: '+15555550101' }, 1_000)).resolves.toMatchObject({ data: { code: '111111' } });
    const waiting = sms.waitFor({ to: '+15555550102', type: 'two_step_code' }, 5_000);
    sms.send({ to: '+15555550102', type: 'fraud_notice', text: 'Call us.' });
    sms.send(code('+15555550101', '222222'));
    sms.send(code('+15555550102', '333333'));
    await expect(waiting).resolves.toMatchObject({ to: '+15555550102', data: { code: '333333' } });
    await expect(sms.waitFor({ to: '+15555550103' }, 20)).resolves.toBeUndefined();
  });

  it('ends waits when interrupted, and refuses new ones after', async () => {
    const waiting = sms.waitFor({}, 5_000);
    sms.interruptWaits(new Error('closed'));
    await expect(waiting).rejects.toThrow('closed');
    await expect(sms.waitFor({}, 5_000)).rejects.toThrow('closed');
  });

  it('lets an sms_undelivered fault swallow texts to its number only, journalling why, until its times run out', () => {
    const fault = faults.add({ kind: 'sms_undelivered', phone: '+15555550101', times: 2 });
    expect(sms.send(code('555-555-0101'))).toBeUndefined();
    expect(sms.send(code('+15555550102'))).toMatchObject({ to: '+15555550102' });
    expect(sms.send(code('+15555550101'))).toBeUndefined();
    expect(faults.list()).toEqual([]);
    expect(sms.send(code('+15555550101'))).toMatchObject({ to: '+15555550101' });
    expect(sms.list().map((m) => m.to)).toEqual(['+15555550102', '+15555550101']);
    expect(journal.list({ type: 'sms.undelivered' }).map((e) => e.data)).toEqual([
      { smsType: 'two_step_code', to: '+15555550101', faultId: fault.id }, { smsType: 'two_step_code', to: '+15555550101', faultId: fault.id },
    ]);
  });

  it('clears every captured text', () => {
    sms.send(code('+15555550101'));
    sms.send(code('+15555550102'));
    expect(sms.clear()).toBe(2);
    expect(sms.list()).toEqual([]);
  });
});

describe('FaultInjector with text faults', () => {
  it('never lets a text fault affect a request, nor a route fault a text', () => {
    faults.add({ kind: 'sms_undelivered', phone: '+15555550101' });
    faults.add({ pattern: '*', status: 503, probability: 1 });
    expect(faults.pick('GET', '/cards')).toMatchObject({ kind: 'route', pattern: '*' });
    expect(faults.list().map((f) => f.kind)).toEqual(['sms_undelivered', 'route']);
    expect(faults.swallowText('+15555550102')).toBeUndefined();
    expect(faults.swallowText('+15555550101')).toMatchObject({ kind: 'sms_undelivered', hits: 1 });
  });
});
