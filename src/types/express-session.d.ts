// What this app keeps in a session, typed once.
import 'express-session';

export interface FlashMessage {
  kind: 'notice' | 'error';
  message: string;
}

export interface CallerVerification {
  at: number;
  /** PIN and word prove enough for anything; name, company and e-mail only to be told one's user ID. */
  method: 'pin_and_word' | 'identity';
}

/** A sign-in whose password was right, waiting for its 2-step code; kept in the anonymous session. */
export interface PendingSignIn {
  paId: number;
  /** The code sent last: only it can finish this sign-in. */
  codeId: number;
  channel: 'email' | 'sms';
  expiresAtMs: number;
  lastSentAtMs: number;
  resends: number;
  returnTo?: string | undefined;
  /** 2-step was off but the company requires it: the right code also turns it on, on this channel. */
  setup?: boolean;
}

declare module 'express-session' {
  interface SessionData {
    /** Simulated time the session began: the absolute timeout counts from here. */
    startedAtMs: number;
    /** Simulated time of the last request: the idle timeout counts from here. */
    lastSeenAtMs: number;
    /** Simulated time the PA last proved their password (sign-in or a re-check): sensitive changes ask again after 15 minutes. */
    passwordProvenAtMs: number;
    /** The browser the PA signed in with, in words ("Chrome on Linux"), for their list of open sessions. */
    browser: string;
    /** A first login whose PIN, word and access code checked out, until the user ID and password are chosen. */
    firstLogin: { paId: number; accessCodeId: number; verifiedAtMs: number };
    /** A sign-in whose password was right, waiting for its 2-step code (no PA is signed in yet). */
    pendingSignIn: PendingSignIn;
    /** A channel being proved on /profile/two-step: the code sent to it. */
    twoStepSetup: { channel: 'email' | 'sms'; codeId: number };
    /** The help-desk staff member signed in to this (staff realm) session. */
    staffUserId: number;
    /** Callers whose identity this agent verified, when and how: the proof lapses after 15 minutes. */
    verifiedCallers: Record<string, CallerVerification>;
    /** This browser pasted the simulator token at /sim/login: the /sim console is open to it. */
    simConsole: boolean;
    /** Messages for the next page shown, after a redirect. */
    flash: FlashMessage[];
  }
}
