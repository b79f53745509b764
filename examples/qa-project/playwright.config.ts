// Playwright in Debian's Chromium against a simulator already running at SIM_URL (token SIM_TOKEN).
import { defineConfig } from '@playwright/test';
import type { SimFixtureOptions } from '@atwork-sim/client/playwright';

export default defineConfig<SimFixtureOptions>({
  testDir: 'tests',
  // Each test has a sandbox of its own (the client's fixture), so they may run in parallel.
  fullyParallel: true,
  forbidOnly: Boolean(process.env.CI),
  timeout: 60_000,
  expect: { timeout: 10_000 },
  use: {
    simUrl: process.env.SIM_URL ?? 'http://127.0.0.1:3000',
    simToken: process.env.SIM_TOKEN,
    browserName: 'chromium',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      // Chromium's own sandbox does not start as root, as in most CI containers.
      args: ['--no-sandbox', '--disable-gpu'],
    },
  },
});
