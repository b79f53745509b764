// Card management pages: the list, a card, and each request with its review-and-confirm step.
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { requirePermission } from '../../http/access';
import { parseInput } from '../../http/validation';
import { formatCents, parseDollars } from '../../lib/money';
import { CARD_STATES, CARD_STATE_LABELS, CARD_TIERS, SERVICE_LINES, isCardState, isCardTier } from './card-catalogue';
import { maskCardNumber } from './card-numbers';
import { CANCEL_REASONS, DELIVERY_SPEEDS, DISPUTE_REASONS, LIMIT_KINDS, REPLACE_REASONS, SUSPEND_REASONS, optionValues } from './card-options';
import {
  ACTION_OPTIONS, CARD_ACTIONS, actionRefusal, cardDetails, cardPage, commitApplication, commitCardAction, commitDispute, companyCard,
  companyCharge, currentActionRefusal, disputeRefusal, moveTargets, reviewApplication, reviewCardAction, reviewDispute, type ApplicationInput,
  type CardActionInput, type CardActionName,
} from './cards.service';
import type { CardRow, ChargeRow } from './cards.repository';
import { answerRequestForm, type FormFields } from './request-form';

const text = (max: number) => z.unknown().optional().transform((v) => (typeof v === 'string' ? v.trim().slice(0, max) : ''));

const listQuery = z.object({
  q: text(64),
  state: text(20).transform((v) => (isCardState(v) ? v : undefined)),
  tier: text(20).transform((v) => (isCardTier(v) ? v : undefined)),
  after: text(200),
});

/** The form of each request, read into what the service decides on. */
const actionForms: Record<CardActionName, z.ZodType<CardActionInput>> = {
  cancel: z.object({ reason: z.enum(optionValues(CANCEL_REASONS), { error: 'Choose a reason.' }) }),
  suspend: z.object({ reason: z.enum(optionValues(SUSPEND_REASONS), { error: 'Choose a reason.' }) }),
  reinstate: z.object({}),
  replace: z.object({
    reason: z.enum(optionValues(REPLACE_REASONS), { error: 'Choose whether the card was lost or stolen.' }),
    delivery: z.enum(optionValues(DELIVERY_SPEEDS), { error: 'Choose a delivery speed.' }),
  }),
  limit: z.object({
    limitType: z.enum(optionValues(LIMIT_KINDS), { error: 'Choose permanent or temporary.' }),
    newLimit: text(20),
    endDate: text(10),
  }).transform(({ limitType, newLimit, endDate }) => ({
    limitType, newLimitCents: parseDollars(newLimit), ...(limitType === 'temporary' ? { endDate } : {}),
  })),
  // Which accounts are allowed depends on the PA's scope: the service checks the number.
  move: z.object({ controlAccount: text(40).pipe(z.string().min(1, 'Choose a control account from the list.')) }),
};

/** The fields of each request's form, shown back as typed (cut to 100 characters, the inputs' own limit). */
const ACTION_FIELDS: Record<CardActionName, FormFields> = {
  cancel: { reason: 100 },
  suspend: { reason: 100 },
  reinstate: {},
  replace: { reason: 100, delivery: 100 },
  limit: { limitType: 100, newLimit: 100, endDate: 100 },
  move: { controlAccount: 40 },
};

const ACTION_TITLES: Record<CardActionName, string> = {
  cancel: 'Cancel card',
  replace: 'Report lost or stolen and order a replacement',
  suspend: 'Suspend card',
  reinstate: 'Reinstate card',
  limit: 'Change spending limit',
  move: 'Move to another control account',
};

const applicationForm: z.ZodType<ApplicationInput> = z.object({
  cardmemberName: text(100).pipe(z.string().min(2, 'Enter the cardmember\'s full name.').regex(/^[\p{L}\p{M} .'-]+$/u, 'Use letters, spaces, dots, hyphens and apostrophes.')),
  tier: z.enum(CARD_TIERS, { error: 'Choose a card type.' }),
  requestedLimit: text(20),
}).transform(({ requestedLimit, ...application }) => ({ ...application, limitCents: parseDollars(requestedLimit) }));
const APPLICATION_FIELDS: FormFields = { cardmemberName: 100, tier: 100, requestedLimit: 20 };

const disputeForm = z.object({
  reason: z.enum(optionValues(DISPUTE_REASONS), { error: 'Choose a reason.' }),
});
const DISPUTE_FIELDS: FormFields = { reason: 40 };

function encodeCursor(value: { name: string; id: number }): string {
  return Buffer.from(JSON.stringify([value.name, value.id])).toString('base64url');
}

function decodeCursor(text: string): { name: string; id: number } | undefined {
  if (!text) return undefined;
  try {
    const [name, id] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown[];
    return typeof name === 'string' && Number.isSafeInteger(id) ? { name, id: id as number } : undefined;
  } catch {
    return undefined;
  }
}

const idParam = (req: Request, name: string): number => {
  const raw = String(req.params[name] ?? '');
  return /^\d{1,15}$/.test(raw) ? Number(raw) : NaN;
};

export function cardsRouter(context: AppContext): Router {
  const router = Router();

  // GET /cards — the company's cards: search by name or last five digits, filter, page.
  router.get('/cards', requirePermission('cards.view'), (req, res) => {
    const query = listQuery.parse(req.query);
    const page = cardPage(context, {
      companyId: req.user!.companyId, scope: req.user!.scope, search: query.q || undefined, state: query.state, tier: query.tier, after: decodeCursor(query.after),
    });
    const baseQuery = { q: query.q, state: query.state ?? '', tier: query.tier ?? '' };
    res.render('cards/list', {
      title: 'Cards', query: baseQuery, cards: page.cards.map((card) => ({ ...card, masked: maskCardNumber(card.card_number), stateLabel: CARD_STATE_LABELS[card.state], limit: formatCents(card.limit_cents) })),
      nextUrl: page.next ? `/cards?${new URLSearchParams({ ...baseQuery, after: encodeCursor(page.next) })}` : null,
      firstUrl: query.after ? `/cards?${new URLSearchParams(baseQuery)}` : null,
      states: CARD_STATES.map((s) => ({ value: s, label: CARD_STATE_LABELS[s] })), tiers: CARD_TIERS,
    });
  });

  const renderApplication = (res: Response, status: number, locals: Record<string, unknown>) =>
    res.status(status).render('cards/apply', { title: 'Apply for a new card', values: {}, errors: {}, review: null, tiers: CARD_TIERS, ...locals });

  // GET /cards/apply — the new-card application form.
  router.get('/cards/apply', requirePermission('cards.apply'), (_req, res) => renderApplication(res, 200, {}));

  // POST /cards/apply — checks the application, shows it for review, and submits it once confirmed.
  router.post('/cards/apply', requirePermission('cards.apply'), (req, res) => {
    const input = parseInput(applicationForm, req.body);
    answerRequestForm(context, req, res, {
      fields: APPLICATION_FIELDS,
      review: (now) => reviewApplication(context, req.user!, input, now),
      commit: (now) => commitApplication(context, req.user!, input, now),
      show: (status, locals) => renderApplication(res, status, locals),
    });
  });

  // GET /cards/:id — one card: details, service line, recent and declined charges, what can be done.
  router.get('/cards/:id', requirePermission('cards.view'), (req, res) => {
    const details = cardDetails(context, req.user!, idParam(req, 'id'), context.clock.nowMs());
    const held = new Set(req.user!.permissions);
    const actions = (Object.keys(CARD_ACTIONS) as CardActionName[])
      .filter((action) => held.has(CARD_ACTIONS[action].permission))
      .map((action) => ({ action, title: ACTION_TITLES[action], refusal: actionRefusal(details.card, action, details.openRequests) }));
    res.render('cards/detail', {
      title: `Card ${details.masked}`, ...details, actions, canDispute: held.has('charges.dispute'),
      formatCents, serviceLines: SERVICE_LINES,
    });
  });

  // GET|POST /cards/:id/{cancel,replace,suspend,reinstate,limit,move} — a request on one card, confirmed before it is sent.
  for (const action of Object.keys(CARD_ACTIONS) as CardActionName[]) {
    const guard = requirePermission('cards.view', CARD_ACTIONS[action].permission);
    const render = (res: Response, status: number, card: CardRow, locals: Record<string, unknown>) => {
      res.status(status).render('cards/action', {
        title: ACTION_TITLES[action], action, card, masked: maskCardNumber(card.card_number), values: {}, errors: {}, review: null,
        options: action === 'move' ? { controlAccount: moveTargets(context, res.req.user!, card) } : ACTION_OPTIONS[action],
        refusal: null, formatCents, ...locals,
      });
    };

    router.get(`/cards/:id/${action}`, guard, (req, res) => {
      const card = companyCard(context, req.user!, idParam(req, 'id'));
      render(res, 200, card, { refusal: currentActionRefusal(context, card, action) });
    });

    router.post(`/cards/:id/${action}`, guard, (req, res) => {
      const cardId = idParam(req, 'id');
      const input = parseInput(actionForms[action], req.body);
      answerRequestForm(context, req, res, {
        fields: ACTION_FIELDS[action],
        review: (now) => reviewCardAction(context, req.user!, cardId, action, input, now),
        commit: (now) => commitCardAction(context, req.user!, cardId, action, input, now),
        show: (status, locals) => render(res, status, companyCard(context, req.user!, cardId), locals),
      });
    });
  }

  // GET|POST /cards/:id/charges/:chargeId/dispute — dispute a posted charge, once.
  const disputeGuard = requirePermission('cards.view', 'charges.dispute');
  const renderDispute = (res: Response, status: number, { card, charge }: { card: CardRow; charge: ChargeRow }, locals: Record<string, unknown>) => {
    res.status(status).render('cards/dispute', {
      title: 'Dispute a charge', card, charge, masked: maskCardNumber(card.card_number), values: {}, errors: {}, review: null, reasons: DISPUTE_REASONS,
      refusal: null, formatCents, ...locals,
    });
  };
  router.get('/cards/:id/charges/:chargeId/dispute', disputeGuard, (req, res) => {
    const found = companyCharge(context, req.user!, idParam(req, 'id'), idParam(req, 'chargeId'));
    renderDispute(res, 200, found, { refusal: disputeRefusal(found.charge) });
  });
  router.post('/cards/:id/charges/:chargeId/dispute', disputeGuard, (req, res) => {
    const [cardId, chargeId] = [idParam(req, 'id'), idParam(req, 'chargeId')];
    const input = parseInput(disputeForm, req.body);
    answerRequestForm(context, req, res, {
      fields: DISPUTE_FIELDS,
      review: (now) => reviewDispute(context, req.user!, cardId, chargeId, input, now),
      commit: (now) => commitDispute(context, req.user!, cardId, chargeId, input, now),
      show: (status, locals) => renderDispute(res, status, companyCharge(context, req.user!, cardId, chargeId), locals),
    });
  });

  return router;
}
