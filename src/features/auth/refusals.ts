// What the sign-in pages answer when an account may not sign in.
import { FRAUD_LINE_PHONE, HELP_DESK_PHONE } from '../../http/locals';
import type { SignInRefusal } from '../accounts/sign-in.service';

/** What each refusal tells the person, and the stable code a script can assert on. */
export const REFUSALS: Record<SignInRefusal, { code: string; message: string }> = {
  invalid: {
    code: 'invalid_credentials',
    message: 'The User ID or Password you entered is incorrect. If this is your first time, complete your first login with the Access Code from your Welcome e-mail.',
  },
  inactive: {
    code: 'account_inactive',
    message: `Your User ID is inactive because it has not been used for a long time. Please call the Help Desk at ${HELP_DESK_PHONE} to reactivate it.`,
  },
  locked: {
    code: 'account_locked',
    message: `Your User ID is locked after too many unsuccessful login attempts. Please call the Help Desk at ${HELP_DESK_PHONE} to unlock it.`,
  },
  suspended: {
    code: 'account_restricted',
    message: `Access to your User ID is restricted. Please call our Fraud Protection line at ${FRAUD_LINE_PHONE}.`,
  },
};

