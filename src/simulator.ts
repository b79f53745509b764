// The whole simulator in one process: the default sandbox, the scenario templates, the registry of
// sandboxes, and the request listener that hands each request to its sandbox's app.
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import path from 'node:path';
import { createApp } from './app';
import type { AppContext } from './context';
import { SandboxRegistry } from './features/sandboxes/sandbox-registry';
import { ScenarioTemplates } from './features/sandboxes/scenario-templates';
import { ScenarioCatalog } from './features/scenarios/scenario-catalog';
import type { SimulatorControls } from './features/sandboxes/simulator-controls';
import { answerUnknownSandbox } from './http/unknown-sandbox';
import { SandboxHosts } from './lib/sandbox-host';

export interface Simulator extends SimulatorControls {
  /** Hands each request to the app of the sandbox it addresses. */
  handle: RequestListener;
  /** Closes every sandbox (their files stay for the next start) and stops template builds. */
  close(): void;
}

export interface SimulatorOptions {
  defaultContext: AppContext;
  sessionSecret: string;
  simToken: string;
  realNowMs?: () => number;
}

export function createSimulator(options: SimulatorOptions): Simulator {
  const { defaultContext } = options;
  const realNowMs = options.realNowMs ?? Date.now;
  const { config } = defaultContext;
  const scenarios = new ScenarioCatalog(path.join(config.dataDir, 'scenarios'), config.scenariosDir);
  const templates = new ScenarioTemplates(path.join(config.dataDir, 'templates'), config, defaultContext.logger, scenarios);
  const controls = { templates, scenarios } as SimulatorControls;
  controls.sandboxes = new SandboxRegistry({
    config: defaultContext.config, logger: defaultContext.logger, sessionSecret: options.sessionSecret, simToken: options.simToken,
    templates, appFor: (context) => createApp(context, controls), realNowMs,
  }, defaultContext);
  const hosts = new SandboxHosts(config.baseDomain);
  return {
    ...controls,
    handle: (req: IncomingMessage, res: ServerResponse) => {
      const sandbox = controls.sandboxes.resolve(req);
      if (!sandbox) return answerUnknownSandbox(req, res, hosts);
      sandbox.app(req, res);
    },
    close: () => {
      templates.close();
      controls.sandboxes.closeAll();
    },
  };
}
