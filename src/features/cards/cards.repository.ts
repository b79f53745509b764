// SQL for cards and their charges. Every lookup is scoped to one company: a card of another
// company is simply not found.
import { limitClause, type Database } from '../../db/database';
import { scopeTerm, type Scope } from '../hierarchy/scope';
import type { CardState, CardTier } from './card-catalogue';

export interface CardRow {
  id: number;
  company_id: number;
  card_number: string;
  last_five: string;
  cardmember_name: string;
  tier: CardTier;
  state: CardState;
  limit_cents: number;
  temp_limit_cents: number | null;
  temp_limit_ends_at: number | null;
  replaces_card_id: number | null;
  opened_at: number;
  expires_on: string;
  state_changed_at: number;
  /** Its place in the program hierarchy (migration 0014). */
  control_account_id: number | null;
}

export interface ChargeRow {
  id: number;
  card_id: number;
  merchant: string;
  amount_cents: number;
  at: number;
  status: 'posted' | 'declined';
  decline_reason: string | null;
  dispute_status: 'open' | 'credited' | 'denied' | null;
}

/** A charge's own columns, named: its copies of the card's company and levels (migration 0019) are for the reports' indexes. */
const CHARGE_COLUMNS = 'id, card_id, merchant, amount_cents, at, status, decline_reason, dispute_status';

export interface CardListFilter {
  companyId: number;
  /** The PA's part of the hierarchy; null: the whole company. */
  scope: Scope;
  /** A name prefix, or the last five digits of a card number. */
  search?: string | undefined;
  state?: CardState | undefined;
  tier?: CardTier | undefined;
  /** Keyset cursor: the last row of the previous page. */
  after?: { name: string; id: number } | undefined;
  limit: number;
}

export function listCards(db: Database, filter: CardListFilter): CardRow[] {
  const where = ['company_id = :companyId'];
  const params: Record<string, string | number> = { companyId: filter.companyId };
  if (filter.search) {
    if (/^\d{5}$/.test(filter.search)) {
      where.push('last_five = :lastFive');
      params.lastFive = filter.search;
    } else {
      // The start of the full name or of the surname, each as a range that an index serves.
      where.push(`((cardmember_name >= :from COLLATE NOCASE AND cardmember_name < :to COLLATE NOCASE)
        OR (cardmember_surname >= :from COLLATE NOCASE AND cardmember_surname < :to COLLATE NOCASE))`);
      params.from = filter.search;
      params.to = `${filter.search}\u{10FFFF}`;
    }
  }
  if (filter.state) {
    where.push('state = :state');
    params.state = filter.state;
  }
  if (filter.tier) {
    where.push('tier = :tier');
    params.tier = filter.tier;
  }
  const inScope = scopeTerm(filter.scope);
  if (inScope) {
    where.push('control_account_id IN (SELECT value FROM json_each(:scope))');
    params.scope = inScope.params[0] as string;
  }
  if (filter.after) {
    where.push('(cardmember_name COLLATE NOCASE, id) > (:afterName, :afterId)');
    params.afterName = filter.after.name;
    params.afterId = filter.after.id;
  }
  return db.all<CardRow>(
    `SELECT * FROM cards WHERE ${where.join(' AND ')} ORDER BY cardmember_name COLLATE NOCASE, id ${limitClause(filter.limit)}`, params);
}

export function findCompanyCard(db: Database, companyId: number, cardId: number): CardRow | undefined {
  return db.get<CardRow>('SELECT * FROM cards WHERE id = ? AND company_id = ?', cardId, companyId);
}

export function findCard(db: Database, cardId: number): CardRow | undefined {
  return db.get<CardRow>('SELECT * FROM cards WHERE id = ?', cardId);
}

/**
 * A card's latest posted and latest declined charges, up to `limit` of each, newest first. Most cards
 * have a handful of charges: one read of up to 2 × limit + 1 (in index order, so nothing is sorted
 * in SQL) then holds all of them. Only a card with more reads each list by itself.
 */
export function latestChargesOf(db: Database, cardId: number, limit: number): { posted: ChargeRow[]; declined: ChargeRow[] } {
  const some = db.all<ChargeRow>(`SELECT ${CHARGE_COLUMNS} FROM charges WHERE card_id = ? ${limitClause(2 * limit + 1)}`, cardId);
  if (some.length > 2 * limit) {
    return { posted: chargesOf(db, cardId, 'posted', limit), declined: chargesOf(db, cardId, 'declined', limit) };
  }
  const newestFirst = some.sort((a, b) => b.at - a.at || b.id - a.id);
  return {
    posted: newestFirst.filter((charge) => charge.status === 'posted').slice(0, limit),
    declined: newestFirst.filter((charge) => charge.status === 'declined').slice(0, limit),
  };
}

export function chargesOf(db: Database, cardId: number, status: 'posted' | 'declined', limit: number): ChargeRow[] {
  return db.all<ChargeRow>(`SELECT ${CHARGE_COLUMNS} FROM charges WHERE card_id = ? AND status = ? ORDER BY at DESC, id DESC ${limitClause(limit)}`, cardId, status);
}

export function findCardCharge(db: Database, cardId: number, chargeId: number): ChargeRow | undefined {
  return db.get<ChargeRow>(`SELECT ${CHARGE_COLUMNS} FROM charges WHERE id = ? AND card_id = ?`, chargeId, cardId);
}

export function setCardState(db: Database, cardId: number, from: readonly CardState[], to: CardState, at: number): boolean {
  return db.run(
    `UPDATE cards SET state = ?, state_changed_at = ? WHERE id = ? AND state IN (${from.map(() => '?').join(', ')})`,
    to, at, cardId, ...from).changes === 1;
}

export function insertCard(db: Database, card: Omit<CardRow, 'id'>): number {
  return db.run(
    `INSERT INTO cards (company_id, card_number, last_five, cardmember_name, tier, state, limit_cents, temp_limit_cents,
       temp_limit_ends_at, replaces_card_id, opened_at, expires_on, state_changed_at, control_account_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    card.company_id, card.card_number, card.last_five, card.cardmember_name, card.tier, card.state, card.limit_cents,
    card.temp_limit_cents, card.temp_limit_ends_at, card.replaces_card_id, card.opened_at, card.expires_on,
    card.state_changed_at, card.control_account_id).lastId;
}

/** Puts a card and every transaction about it in another control account (migration 0015's trigger moves their levels). */
export function moveCard(db: Database, cardId: number, controlAccountId: number): void {
  db.run('UPDATE cards SET control_account_id = ? WHERE id = ?', controlAccountId, cardId);
  db.run('UPDATE transactions SET control_account_id = ? WHERE card_id = ?', controlAccountId, cardId);
}

export function setPermanentLimit(db: Database, cardId: number, limitCents: number): void {
  db.run('UPDATE cards SET limit_cents = ? WHERE id = ?', limitCents, cardId);
}

export function setTemporaryLimit(db: Database, cardId: number, limitCents: number, endsAt: number): void {
  db.run('UPDATE cards SET temp_limit_cents = ?, temp_limit_ends_at = ? WHERE id = ?', limitCents, endsAt, cardId);
}

/** Ends temporary limits whose end has passed; returns how many. Reads first, so most calls write nothing. */
export function endTemporaryLimits(db: Database, now: number): number {
  if (!db.get('SELECT 1 FROM cards WHERE temp_limit_ends_at IS NOT NULL AND temp_limit_ends_at <= ? LIMIT 1', now)) return 0;
  return db.run(
    'UPDATE cards SET temp_limit_cents = NULL, temp_limit_ends_at = NULL WHERE temp_limit_ends_at IS NOT NULL AND temp_limit_ends_at <= ?',
    now).changes;
}

export function setDisputeStatus(db: Database, chargeId: number, from: ChargeRow['dispute_status'], to: NonNullable<ChargeRow['dispute_status']>): boolean {
  return db.run('UPDATE charges SET dispute_status = ? WHERE id = ? AND dispute_status IS ?', to, chargeId, from).changes === 1;
}

export function insertCharge(db: Database, charge: Omit<ChargeRow, 'id'>): number {
  return db.run(
    'INSERT INTO charges (card_id, merchant, amount_cents, at, status, decline_reason, dispute_status) VALUES (?, ?, ?, ?, ?, ?, ?)',
    charge.card_id, charge.merchant, charge.amount_cents, charge.at, charge.status, charge.decline_reason, charge.dispute_status).lastId;
}

export function companyMaxLimit(db: Database, companyId: number): number {
  return db.get<{ max_card_limit_cents: number }>('SELECT max_card_limit_cents FROM companies WHERE id = ?', companyId)!.max_card_limit_cents;
}

/** Read from the counts the triggers of migration 0005 keep, not counted card by card; a scoped PA's are counted. */
export function countCardsInState(db: Database, companyId: number, state: CardState, scope: Scope = null): number {
  const inScope = scopeTerm(scope);
  if (inScope) {
    return db.get<{ n: number }>(`SELECT count(*) AS n FROM cards INDEXED BY cards_by_company_state WHERE company_id = ? AND state = ? AND ${inScope.sql}`,
      companyId, state, ...inScope.params)!.n;
  }
  return db.get<{ n: number }>('SELECT n FROM card_state_counts WHERE company_id = ? AND state = ?', companyId, state)?.n ?? 0;
}

/**
 * The partial index of ending limits is named outright: with few temporary limits its statistics
 * look empty, and the planner would rather walk every card of the company (18 µs against 2.5 µs).
 */
export function temporaryLimitsEndingBetween(db: Database, companyId: number, from: number, to: number, scope: Scope = null): CardRow[] {
  const inScope = scopeTerm(scope);
  return db.all<CardRow>(
    `SELECT * FROM cards INDEXED BY cards_temp_limit_ending WHERE temp_limit_ends_at IS NOT NULL AND temp_limit_ends_at > ? AND temp_limit_ends_at <= ?
        AND company_id = ? ${inScope ? `AND ${inScope.sql}` : ''} ORDER BY temp_limit_ends_at LIMIT 10`, from, to, companyId, ...(inScope?.params ?? []));
}

export function activeCardFor(db: Database, companyId: number, cardmemberName: string, tier: CardTier): CardRow | undefined {
  return db.get<CardRow>(
    "SELECT * FROM cards WHERE company_id = ? AND cardmember_name = ? COLLATE NOCASE AND tier = ? AND state = 'active' LIMIT 1",
    companyId, cardmemberName, tier);
}
