// SQL for captured text messages.
import type { Database } from '../../db/database';

export interface SmsRow {
  id: number;
  to_number: string;
  type: string;
  text_body: string;
  data: string;
  sent_at: number;
}

export interface SmsFilter {
  /** An E.164 number. */
  to?: string | undefined;
  type?: string | undefined;
}

export function insertSms(db: Database, sms: Omit<SmsRow, 'id'>): number {
  return db.run(
    'INSERT INTO sms_messages (to_number, type, text_body, data, sent_at) VALUES (?, ?, ?, ?, ?)',
    sms.to_number, sms.type, sms.text_body, sms.data, sms.sent_at,
  ).lastId;
}

export function findSms(db: Database, filter: SmsFilter): SmsRow[] {
  return db.all<SmsRow>(
    `SELECT * FROM sms_messages
      WHERE (:to IS NULL OR to_number = :to)
        AND (:type IS NULL OR type = :type)
      ORDER BY id`,
    { to: filter.to ?? null, type: filter.type ?? null },
  );
}

export function deleteAllSms(db: Database): number {
  return db.run('DELETE FROM sms_messages').changes;
}
