// A PA's request to change their contact details. As the FAQ says, contact changes go to the help
// desk: the request becomes a transaction with a tracking number, which an agent completes (the
// change is applied and both addresses hear of it) or rejects with a reason the PA reads.
import type { AppContext } from '../../context';
import { AppError, notFound } from '../../lib/errors';
import { paRef, recordAudit } from '../audit/audit.service';
import type { SignedInAdministrator } from '../accounts/sign-in.service';
import { accountNoticeEmail } from '../accounts/emails';
import { staffRef, type SignedInStaff } from '../helpdesk/staff-auth.service';
import { completeByHand, rejectByHand, submitTransaction, type SubmittedTransaction } from '../transactions/lifecycle';
import {
  findContactRequest, openContactRequests, openContactRequestsOf, profileDetails, setContact, type ContactRequestRow,
} from './profile.repository';

export interface RequestedContact {
  email: string;
  /** Empty: the PA asks for the phone on file to be removed. */
  phone: string;
  note: string;
}

/** What a request asks for, as kept in its transaction's details. */
interface ContactRequestDetails {
  email: string;
  phone: string | null;
  note: string;
  previous: { email: string; phone: string | null };
}

/** The help desk's queue shows this many requests at most, oldest first. */
const QUEUE_LENGTH = 50;

const sameEmail = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
/** Phones are compared by their digits and a leading +: "555-010-1001" and "555 010 1001" are one number. */
const phoneKey = (phone: string | null) => (phone ?? '').replace(/[^0-9+]/g, '');

export function describeContactRequest(row: ContactRequestRow) {
  const details = JSON.parse(row.details) as ContactRequestDetails;
  return {
    trackingNumber: row.tracking_number,
    paId: row.subject_pa_id,
    caller: `${row.first_name} ${row.last_name}`,
    company: row.company_name,
    email: details.email,
    phone: details.phone,
    note: details.note,
    previous: details.previous,
    emailChanges: !sameEmail(details.email, details.previous.email),
    submitted: `${new Date(row.submitted_at).toISOString().slice(0, 16).replace('T', ' ')} UTC`,
  };
}

export type ContactRequestView = ReturnType<typeof describeContactRequest>;

/** Whether these details would change the e-mail on file: that change asks for the password again. */
export function changesEmail(context: AppContext, user: SignedInAdministrator, requested: RequestedContact): boolean {
  const current = profileDetails(context.db, user.id);
  return current !== undefined && !sameEmail(current.email, requested.email);
}

/** Files the request; refuses details that change nothing and a second request while one is open. */
export function requestContactChange(context: AppContext, user: SignedInAdministrator, requested: RequestedContact, sourceIp: string | null): SubmittedTransaction {
  const { db, clock } = context;
  const now = clock.nowMs();
  return db.tx(() => {
    const current = profileDetails(db, user.id);
    if (!current) throw notFound('There is no such Program Administrator.');
    if (sameEmail(current.email, requested.email) && phoneKey(current.phone) === phoneKey(requested.phone)) {
      throw new AppError(400, 'no_change', 'Those are already your contact details: change the e-mail address or the phone number.');
    }
    const open = openContactRequestsOf(db, user.id)[0];
    if (open) {
      throw new AppError(409, 'request_open', `You already asked for a contact details change (tracking number ${open.tracking_number}); the Help Desk will answer it first.`);
    }
    const details: ContactRequestDetails = {
      email: requested.email, phone: requested.phone || null, note: requested.note,
      previous: { email: current.email, phone: current.phone },
    };
    const submitted = submitTransaction(context, {
      companyId: user.companyId, type: 'contact_change_request', submittedBy: paRef(user.id), submittedByPaId: user.id, subjectPaId: user.id,
      summary: `Contact details change for ${current.first_name} ${current.last_name}`, details: { ...details },
    }, now);
    recordAudit(db, { at: now, actor: paRef(user.id), action: 'contact_change.requested', subject: paRef(user.id), outcome: 'success', sourceIp,
      details: { trackingNumber: submitted.trackingNumber } });
    return submitted;
  });
}

/** Open requests for the help desk: every PA's, or one caller's. */
export function contactRequestQueue(context: AppContext, paId?: number): ContactRequestView[] {
  const rows = paId === undefined ? openContactRequests(context.db, QUEUE_LENGTH) : openContactRequestsOf(context.db, paId);
  return rows.map(describeContactRequest);
}

function openRequest(context: AppContext, trackingNumber: string): ContactRequestRow {
  const row = findContactRequest(context.db, trackingNumber);
  if (!row) throw notFound('There is no open contact details change request with that tracking number.');
  return row;
}

/** One open request, for the help desk's page of it. */
export function openContactRequest(context: AppContext, trackingNumber: string): ContactRequestView {
  return describeContactRequest(openRequest(context, trackingNumber));
}

const alreadyDecided = () => new AppError(409, 'already_decided', 'Someone decided this request already.');

/** Applies the requested details; the new address and, when it changes, the old one are told. */
export function completeContactRequest(context: AppContext, staff: SignedInStaff, trackingNumber: string, sourceIp: string | null): ContactRequestView {
  const { db, clock, outbox } = context;
  const row = openRequest(context, trackingNumber);
  const request = describeContactRequest(row);
  const paId = row.subject_pa_id!;
  const now = clock.nowMs();
  db.tx(() => {
    if (!completeByHand(db, row.id, staffRef(staff.id), 'Contact details changed as requested.', now)) throw alreadyDecided();
    const before = profileDetails(db, paId)!;
    setContact(db, paId, { email: request.email, phone: request.phone });
    recordAudit(db, { at: now, actor: staffRef(staff.id), action: 'helpdesk.contact_change_completed', subject: paRef(paId), outcome: 'success', sourceIp,
      details: { trackingNumber } });
    outbox.send(accountNoticeEmail({ to: request.email, firstName: before.first_name, subject: 'Your @Work contact details changed', type: 'contact_updated',
      paragraphs: [`The Help Desk made the contact details change you asked for (tracking number ${trackingNumber}).`] }));
    if (!sameEmail(before.email, request.email)) {
      // The old address hears of it too: if someone else asked, the owner finds out.
      outbox.send(accountNoticeEmail({ to: before.email, firstName: before.first_name, subject: 'Your @Work e-mail address changed', type: 'contact_updated',
        paragraphs: [`The e-mail address on your @Work User ID was changed to ${request.email} (tracking number ${trackingNumber}).`] }));
    }
  });
  return request;
}

/** Rejects the request with a reason, which the PA reads in Status Tracking and in an e-mail. */
export function rejectContactRequest(context: AppContext, staff: SignedInStaff, trackingNumber: string, reason: string, sourceIp: string | null): ContactRequestView {
  const { db, clock, outbox } = context;
  const row = openRequest(context, trackingNumber);
  const paId = row.subject_pa_id!;
  const now = clock.nowMs();
  db.tx(() => {
    if (!rejectByHand(db, row.id, staffRef(staff.id), reason, now)) throw alreadyDecided();
    recordAudit(db, { at: now, actor: staffRef(staff.id), action: 'helpdesk.contact_change_rejected', subject: paRef(paId), outcome: 'success', sourceIp,
      details: { trackingNumber } });
    const pa = profileDetails(db, paId)!;
    outbox.send(accountNoticeEmail({ to: pa.email, firstName: pa.first_name, subject: 'Your @Work contact details change was not made', type: 'contact_change_rejected',
      paragraphs: [`The Help Desk did not make the contact details change you asked for (tracking number ${trackingNumber}).`, `The reason: ${reason}`] }));
  });
  return describeContactRequest(row);
}
