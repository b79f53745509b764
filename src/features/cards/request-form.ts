// The review-and-confirm step every card request form shares: the first POST shows what will be
// sent, the confirmed one sends it, and a refusal or a field to correct shows the form again.
import type { Request, Response } from 'express';
import type { AppContext } from '../../context';
import type { RequestCommit, RequestReview } from './request-decision';

/** A form's fields, each with the longest value of it shown back on the page. */
export type FormFields = Readonly<Record<string, number>>;

export interface RequestForm {
  fields: FormFields;
  review(now: number): RequestReview;
  commit(now: number): RequestCommit;
  /** Renders the form's page: the values typed, and the problems, the review lines or the refusal. */
  show(status: number, locals: Record<string, unknown>): void;
}

/** What the person typed into the form's fields, to show it again (in the form, or carried by the review). */
function typedValues(body: Record<string, unknown>, fields: FormFields): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, max] of Object.entries(fields)) {
    const value = body[name];
    if (typeof value === 'string') values[name] = value.slice(0, max);
  }
  return values;
}

/** Answers a request form's POST: the review first, the commit once confirmed, then the page or the confirmation. */
export function answerRequestForm(context: AppContext, req: Request, res: Response, form: RequestForm): void {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const values = typedValues(body, form.fields);
  const now = context.clock.nowMs();
  const verdict = body.confirmed === 'yes' ? form.commit(now) : form.review(now);
  switch (verdict.kind) {
    case 'refused': return form.show(409, { values, refusal: verdict.refusal });
    case 'invalid': return form.show(400, { values, errors: verdict.problems });
    // "Change" on the review goes back to the form as it was filled in, to be corrected.
    case 'review': return form.show(200, { values, review: body.confirmed === 'no' ? null : verdict.lines });
    case 'submitted': return res.redirect(303, `/transactions/${verdict.submitted.trackingNumber}?submitted=1`);
    // Not submitted: it waits for a second administrator, whose decision the held change's page shows.
    case 'held': return res.redirect(303, `/approvals/${verdict.held.trackingNumber}?held=1`);
  }
}
