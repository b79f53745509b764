// Card management pages: the list, a card, and each request with its review-and-confirm step.
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { requirePermission } from '../../http/access';
import { parseInput } from '../../http/validation';
import { AppError } from '../../lib/errors';
import { formatCents, parseDollars } from '../../lib/money';
import { CARD_STATES, CARD_STATE_LABELS, CARD_TIERS, SERVICE_LINES, isCardState, isCardTier } from './card-catalogue';
import { maskCardNumber } from './card-numbers';
import { CANCEL_REASONS, DELIVERY_SPEEDS, DISPUTE_REASONS, LIMIT_KINDS, REPLACE_REASONS, SUSPEND_REASONS, optionLabel, optionValues, type Options } from './card-options';
import {
  CARD_ACTIONS, actionInputProblems, actionRefusal, applicationProblems, applyForCard, cardDetails, cardPage, companyCard,
  companyCharge, currentActionRefusal, disputeCharge, disputeRefusal, requestCardAction, type CardActionInput, type CardActionName,
} from './cards.service';

const text = (max: number) => z.unknown().optional().transform((v) => (typeof v === 'string' ? v.trim().slice(0, max) : ''));

const listQuery = z.object({
  q: text(64),
  state: text(20).transform((v) => (isCardState(v) ? v : undefined)),
  tier: text(20).transform((v) => (isCardTier(v) ? v : undefined)),
  after: text(200),
});

/** The form of each request; `confirmed` is "yes" on the second (review) submission. */
const actionForms = {
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
  }),
} satisfies Record<CardActionName, z.ZodType>;

/** The options of each request's choices, for its form and its review. */
const ACTION_OPTIONS: Record<CardActionName, Record<string, Options>> = {
  cancel: { reason: CANCEL_REASONS },
  suspend: { reason: SUSPEND_REASONS },
  reinstate: {},
  replace: { reason: REPLACE_REASONS, delivery: DELIVERY_SPEEDS },
  limit: { limitType: LIMIT_KINDS },
};

const ACTION_TITLES: Record<CardActionName, string> = {
  cancel: 'Cancel card',
  replace: 'Report lost or stolen and order a replacement',
  suspend: 'Suspend card',
  reinstate: 'Reinstate card',
  limit: 'Change spending limit',
};

const applicationForm = z.object({
  cardmemberName: text(100).pipe(z.string().min(2, 'Enter the cardmember\'s full name.').regex(/^[\p{L}\p{M} .'-]+$/u, 'Use letters, spaces, dots, hyphens and apostrophes.')),
  tier: z.enum(CARD_TIERS, { error: 'Choose a card type.' }),
  requestedLimit: text(20),
});

const disputeForm = z.object({
  reason: z.enum(optionValues(DISPUTE_REASONS), { error: 'Choose a reason.' }),
});

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

function toActionInput(action: CardActionName, data: Record<string, string>): CardActionInput {
  if (action !== 'limit') return { ...(data.reason ? { reason: data.reason } : {}), ...(data.delivery ? { delivery: data.delivery as 'standard' | 'rush' } : {}) };
  return {
    limitType: data.limitType as 'permanent' | 'temporary',
    newLimitCents: parseDollars(data.newLimit ?? ''),
    ...(data.limitType === 'temporary' ? { endDate: data.endDate } : {}),
  };
}

/** What the review step shows: [label, value as the form worded it, field]. */
type ReviewLine = [string, string, string];

function reviewLines(action: CardActionName, input: CardActionInput): ReviewLine[] {
  const options = ACTION_OPTIONS[action];
  const lines: ReviewLine[] = [];
  if (input.reason) lines.push([action === 'replace' ? 'What happened' : 'Reason', optionLabel(options.reason ?? [], input.reason), 'reason']);
  if (input.delivery) lines.push(['Delivery', optionLabel(DELIVERY_SPEEDS, input.delivery), 'delivery']);
  if (action === 'limit') {
    lines.push(['Kind of change', optionLabel(LIMIT_KINDS, input.limitType ?? 'permanent'), 'limitType']);
    lines.push(['New limit', formatCents(input.newLimitCents ?? 0), 'newLimit']);
    if (input.endDate) lines.push(['Last day', input.endDate, 'endDate']);
  }
  return lines;
}

export function cardsRouter(context: AppContext): Router {
  const router = Router();

  // GET /cards — the company's cards: search by name or last five digits, filter, page.
  router.get('/cards', requirePermission('cards.view'), (req, res) => {
    const query = listQuery.parse(req.query);
    const page = cardPage(context, {
      companyId: req.user!.companyId, search: query.q || undefined, state: query.state, tier: query.tier, after: decodeCursor(query.after),
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
    const body = (req.body ?? {}) as Record<string, unknown>;
    const values = { cardmemberName: typeof body.cardmemberName === 'string' ? body.cardmemberName.slice(0, 100) : '', tier: typeof body.tier === 'string' ? body.tier : '', requestedLimit: typeof body.requestedLimit === 'string' ? body.requestedLimit.slice(0, 20) : '' };
    const form = parseInput(applicationForm, body);
    const limitCents = form.ok ? parseDollars(form.data.requestedLimit) : undefined;
    const problems = { ...(form.ok ? {} : form.errors), ...applicationProblems(context, req.user!, { limitCents }) };
    if (!form.ok || Object.keys(problems).length > 0) return renderApplication(res, 400, { values, errors: problems });
    const application = { cardmemberName: form.data.cardmemberName, tier: form.data.tier, limitCents: limitCents! };
    if (body.confirmed !== 'yes') {
      return renderApplication(res, 200, { values, review: [['Cardmember', application.cardmemberName], ['Card type', application.tier], ['Limit', formatCents(application.limitCents)]] });
    }
    const submitted = applyForCard(context, req.user!, application);
    res.redirect(303, `/transactions/${submitted.trackingNumber}?submitted=1`);
  });

  // GET /cards/:id — one card: details, service line, recent and declined charges, what can be done.
  router.get('/cards/:id', requirePermission('cards.view'), (req, res) => {
    const details = cardDetails(context, req.user!, idParam(req, 'id'));
    const held = new Set(req.user!.permissions);
    const actions = (Object.keys(CARD_ACTIONS) as CardActionName[])
      .filter((action) => held.has(CARD_ACTIONS[action].permission))
      .map((action) => ({ action, title: ACTION_TITLES[action], refusal: actionRefusal(details.card, action, details.openRequests) }));
    res.render('cards/detail', {
      title: `Card ${details.masked}`, ...details, actions, canDispute: held.has('charges.dispute'),
      formatCents, serviceLines: SERVICE_LINES,
    });
  });

  // GET|POST /cards/:id/{cancel,replace,suspend,reinstate,limit} — a request on one card, confirmed before it is sent.
  for (const action of Object.keys(CARD_ACTIONS) as CardActionName[]) {
    const guard = requirePermission('cards.view', CARD_ACTIONS[action].permission);
    const render = (req: Request, res: Response, status: number, locals: Record<string, unknown>) => {
      const card = companyCard(context, req.user!, idParam(req, 'id'));
      res.status(status).render('cards/action', {
        title: ACTION_TITLES[action], action, card, masked: maskCardNumber(card.card_number), values: {}, errors: {}, review: null, options: ACTION_OPTIONS[action],
        refusal: currentActionRefusal(context, card, action), formatCents, ...locals,
      });
    };

    router.get(`/cards/:id/${action}`, guard, (req, res) => render(req, res, 200, {}));

    router.post(`/cards/:id/${action}`, guard, (req, res) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const values = Object.fromEntries(Object.entries(body).filter(([k, v]) => k !== '_csrf' && typeof v === 'string').map(([k, v]) => [k, (v as string).slice(0, 100)]));
      const card = companyCard(context, req.user!, idParam(req, 'id'));
      const refusal = currentActionRefusal(context, card, action);
      if (refusal) return render(req, res, 409, { values });
      const form = parseInput(actionForms[action], body);
      if (!form.ok) return render(req, res, 400, { values, errors: form.errors });
      const input = toActionInput(action, form.data as Record<string, string>);
      const problems = actionInputProblems(context, req.user!, card, action, input, context.clock.nowMs());
      if (Object.keys(problems).length > 0) return render(req, res, 400, { values, errors: problems });
      if (body.confirmed !== 'yes') return render(req, res, 200, { values, review: reviewLines(action, input) });
      try {
        const submitted = requestCardAction(context, req.user!, card.id, action, input, context.clock.nowMs());
        res.redirect(303, `/transactions/${submitted.trackingNumber}?submitted=1`);
      } catch (err) {
        if (err instanceof AppError && err.status === 409) return render(req, res, 409, { values });
        throw err;
      }
    });
  }

  // GET|POST /cards/:id/charges/:chargeId/dispute — dispute a posted charge, once.
  const disputeGuard = requirePermission('cards.view', 'charges.dispute');
  const renderDispute = (req: Request, res: Response, status: number, locals: Record<string, unknown>) => {
    const { card, charge } = companyCharge(context, req.user!, idParam(req, 'id'), idParam(req, 'chargeId'));
    res.status(status).render('cards/dispute', {
      title: 'Dispute a charge', card, charge, masked: maskCardNumber(card.card_number), values: {}, errors: {}, review: null, reasons: DISPUTE_REASONS,
      refusal: disputeRefusal(charge), formatCents, ...locals,
    });
  };
  router.get('/cards/:id/charges/:chargeId/dispute', disputeGuard, (req, res) => renderDispute(req, res, 200, {}));
  router.post('/cards/:id/charges/:chargeId/dispute', disputeGuard, (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const values = { reason: typeof body.reason === 'string' ? body.reason.slice(0, 40) : '' };
    const { charge } = companyCharge(context, req.user!, idParam(req, 'id'), idParam(req, 'chargeId'));
    if (disputeRefusal(charge)) return renderDispute(req, res, 409, { values });
    const form = parseInput(disputeForm, body);
    if (!form.ok) return renderDispute(req, res, 400, { values, errors: form.errors });
    if (body.confirmed !== 'yes') return renderDispute(req, res, 200, { values, review: [['Reason', optionLabel(DISPUTE_REASONS, form.data.reason), 'reason']] });
    try {
      const submitted = disputeCharge(context, req.user!, idParam(req, 'id'), idParam(req, 'chargeId'), form.data.reason);
      res.redirect(303, `/transactions/${submitted.trackingNumber}?submitted=1`);
    } catch (err) {
      if (err instanceof AppError && err.status === 409) return renderDispute(req, res, 409, { values });
      throw err;
    }
  });

  return router;
}
