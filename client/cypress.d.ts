// Types of the Cypress commands.
import type { Email, OutboxFilter, Persona, Sms, SmsFilter, ResetAnswer, ResetOptions, Sandbox, SandboxOptions, WaitOptions, ClockReading } from './index';

export declare function registerSimCommands(cypress: Cypress.Cypress): void;

declare global {
  namespace Cypress {
    interface Chainable {
      /** One call of the simulator API in this test's sandbox; yields the JSON body. */
      sim<T = unknown>(method: string, path: string, body?: object, options?: { qs?: object; timeout?: number; allowStatus?: number[] }): Chainable<T>;
      /** A fresh sandbox for this test; the page's requests go into it. */
      simSandbox(options?: SandboxOptions): Chainable<Sandbox>;
      simDeleteSandbox(): Chainable<unknown>;
      simReset(options?: ResetOptions): Chainable<ResetAnswer>;
      /** No argument reads the clock; a duration moves it on; `{ set }` sets it. */
      simClock(move?: string | { advance: string } | { set: string }): Chainable<ClockReading>;
      simPersona(userId: string): Chainable<Persona>;
      simOutboxWait(filter?: OutboxFilter, options?: WaitOptions): Chainable<Email>;
      /** Captured text messages, oldest first. */
      simSms(filter?: SmsFilter): Chainable<Sms[]>;
      /** The oldest matching text message, waiting for it. */
      simSmsWait(filter?: SmsFilter, options?: WaitOptions): Chainable<Sms>;
      /** The newest 2-step sign-in code sent to the persona on their channel (text or e-mail). */
      simSignInCode(persona: string | Persona, options?: WaitOptions): Chainable<string>;
      /** Signs in through the portal's login form (and the 2-step code page when the PA has one); yields the persona. */
      loginAs(persona: string | Persona, options?: { codeTimeoutMs?: number }): Chainable<Persona>;
    }
  }
}
