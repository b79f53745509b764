// How a card request is decided: its review says why it cannot be made, what to correct, or what
// will be sent; its commit decides again inside the database transaction that writes it, so a
// second click, or a change between review and confirmation, is refused as the review would refuse it.
import type { AppContext } from '../../context';
import { AppError, type FieldErrors } from '../../lib/errors';
import type { SubmittedTransaction } from '../transactions/lifecycle';

/** The request's input as the route read it from the form: the values, or the fields to correct. */
export type RequestInput<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors };

/** A line of a review: label, the value as the form worded it, and the form field it shows (its test id). */
export type ReviewLine = readonly [label: string, value: string, field?: string];

/** Why the request cannot be made now (the page answers 409), or which fields to correct (400). */
export type RequestObstacle = { kind: 'refused'; refusal: string } | { kind: 'invalid'; problems: FieldErrors };

export type RequestReview = RequestObstacle | { kind: 'review'; lines: ReviewLine[] };

/** Submitted, or held for a second administrator's approval under the company's rules (its own transaction, type held_change). */
export type RequestCommit = RequestObstacle | { kind: 'submitted'; submitted: SubmittedTransaction } | { kind: 'held'; held: SubmittedTransaction };

/** How one kind of request is checked, reviewed and written; T is what a passed check hands on. */
export interface RequestRules<T> {
  check(): RequestObstacle | { kind: 'passed'; checked: T };
  reviewLines(checked: T): ReviewLine[];
  /** Writes the request, inside the transaction its check ran in. */
  submit(checked: T): RequestCommit;
}

export function reviewRequest<T>(rules: RequestRules<T>): RequestReview {
  const verdict = rules.check();
  return verdict.kind === 'passed' ? { kind: 'review', lines: rules.reviewLines(verdict.checked) } : verdict;
}

export function commitRequest<T>(context: AppContext, rules: RequestRules<T>): RequestCommit {
  return context.db.tx(() => {
    const verdict = rules.check();
    return verdict.kind === 'passed' ? rules.submit(verdict.checked) : verdict;
  });
}

/** The transaction a commit submitted (or held); its refusal or problems as an AppError, for a caller with no form to show them on. */
export function submittedOrThrow(result: RequestCommit): SubmittedTransaction {
  switch (result.kind) {
    case 'submitted': return result.submitted;
    case 'held': return result.held;
    case 'refused': throw new AppError(409, 'action_not_allowed', result.refusal);
    case 'invalid': throw new AppError(400, 'invalid_input', 'Please correct the fields marked below.', result.problems);
  }
}

export const submittedAs = (submitted: SubmittedTransaction): RequestCommit => ({ kind: 'submitted', submitted });
export const heldAs = (held: SubmittedTransaction): RequestCommit => ({ kind: 'held', held });

