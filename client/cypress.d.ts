// Types of the Cypress commands.
import type { Email, OutboxFilter, Persona, ResetAnswer, ResetOptions, Sandbox, SandboxOptions, WaitOptions, ClockReading } from './index';

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
      /** Signs in through the portal's login form; yields the persona. */
      loginAs(persona: string | Persona): Chainable<Persona>;
    }
  }
}
