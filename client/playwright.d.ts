// Types of the Playwright fixture.
import type { TestType, PlaywrightTestArgs, PlaywrightTestOptions, PlaywrightWorkerArgs, PlaywrightWorkerOptions } from '@playwright/test';
import type { Persona, Sandbox, SimClient } from './index';

export interface LoginOptions {
  /** Sign in again after `sim.advanceClock`/`sim.setClock` ends the session (default true). */
  keepSignedIn?: boolean;
}

export interface SimFixtureOptions {
  /** The simulator; default $SIM_URL, $BASE_URL, then http://127.0.0.1:3000. */
  simUrl: string;
  /** The API's token; default $SIM_TOKEN. */
  simToken: string | undefined;
  /** The scenario each test's sandbox copies; default `default`. */
  simScenario: string;
}

export interface SimFixtures {
  /** The test's own sandbox, deleted when the test ends. */
  simSandbox: Sandbox;
  /** The client bound to the test's sandbox. Its clock moves sign `loginAs`'s persona in again when they ended the session. */
  sim: SimClient;
  /** Signs in through the portal's login form (staff through the help desk's); answers the persona. */
  loginAs(persona: string | Persona, options?: LoginOptions): Promise<Persona>;
  simSignedIn: { current: Persona | undefined };
}

export declare const test: TestType<PlaywrightTestArgs & PlaywrightTestOptions & SimFixtures & SimFixtureOptions, PlaywrightWorkerArgs & PlaywrightWorkerOptions>;
export { expect } from '@playwright/test';
