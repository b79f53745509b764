// SQL for captured e-mails.
import type { Database } from '../../db/database';

export interface OutboxRow {
  id: number;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string;
  type: string;
  data: string;
  sent_at: number;
}

export interface OutboxFilter {
  to?: string | undefined;
  type?: string | undefined;
  /** Only messages with a larger id: lets a waiting caller look for new mail only. */
  afterId?: number | undefined;
}

export function insertMessage(db: Database, message: Omit<OutboxRow, 'id'>): number {
  return db.run(
    `INSERT INTO outbox_messages (to_address, subject, text_body, html_body, type, data, sent_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
    message.to_address, message.subject, message.text_body, message.html_body, message.type,
    message.data, message.sent_at,
  ).lastId;
}

export function findMessages(db: Database, filter: OutboxFilter): OutboxRow[] {
  return db.all<OutboxRow>(
    `SELECT * FROM outbox_messages
      WHERE (:to IS NULL OR to_address = :to)
        AND (:type IS NULL OR type = :type)
        AND id > :afterId
      ORDER BY id`,
    { to: filter.to ?? null, type: filter.type ?? null, afterId: filter.afterId ?? 0 },
  );
}

export function findMessageById(db: Database, id: number): OutboxRow | undefined {
  return db.get<OutboxRow>('SELECT * FROM outbox_messages WHERE id = ?', id);
}

export function deleteAllMessages(db: Database): number {
  return db.run('DELETE FROM outbox_messages').changes;
}
