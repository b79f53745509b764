// Scenario templates: each scenario is built once per process into a file of its own, then copied.
// A reset copies the template's rows into the sandbox (milliseconds for `default`), a new sandbox
// copies the file. Both put the sandbox's clock at the moment the template was built, so a reset
// sandbox is the same to the millisecond of simulated time, whenever it is reset.
import fs from 'node:fs';
import path from 'node:path';
import { findScenario, loadScenario } from '../../../seed/load-scenario';
import type { Config } from '../../config';
import { closeContext, createContext, type AppContext } from '../../context';
import { scenarioTables } from '../../db/scenario-tables';
import { AppError } from '../../lib/errors';
import type { Logger } from '../../lib/logger';

export interface ScenarioTemplate {
  scenario: string;
  seed: number;
  file: string;
  /** Simulated time at which the template's data was made. */
  epochMs: number;
}

export class ScenarioTemplates {
  private readonly building = new Map<string, Promise<ScenarioTemplate>>();

  constructor(
    private readonly directory: string,
    private readonly config: Config,
    private readonly logger: Logger,
    private readonly realNowMs: () => number,
  ) {
    // Templates are made by this process's code: ones left by an earlier run may be stale.
    fs.rmSync(directory, { recursive: true, force: true });
  }

  template(scenarioName: string, seed = 1): Promise<ScenarioTemplate> {
    const key = `${scenarioName}-${seed}`;
    let template = this.building.get(key);
    if (!template) {
      template = this.build(scenarioName, seed);
      this.building.set(key, template);
      template.catch(() => this.building.delete(key));
    }
    return template;
  }

  private async build(scenarioName: string, seed: number): Promise<ScenarioTemplate> {
    const scenario = findScenario(scenarioName);
    if (!scenario) throw new AppError(400, 'unknown_scenario', `There is no scenario named "${scenarioName}".`);
    fs.mkdirSync(this.directory, { recursive: true });
    const file = path.join(this.directory, `${scenarioName}-${seed}.sqlite`);
    const building = `${file}.building`;
    fs.rmSync(building, { force: true });
    const context = createContext({
      config: this.config, logger: this.logger, sessionSecret: 'template', simToken: 'template', databaseFile: building,
      sandboxId: `template-${scenarioName}`, realNowMs: this.realNowMs,
    });
    let epochMs: number;
    try {
      await loadScenario(context, scenario, { seed, progress: (message) => this.logger.info({ scenario: scenarioName }, message) });
      epochMs = context.clock.nowMs();
      context.db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
      context.db.raw.pragma('journal_mode = DELETE');
    } finally {
      closeContext(context);
    }
    fs.renameSync(building, file);
    return { scenario: scenarioName, seed, file, epochMs };
  }
}

function dataTables(context: AppContext): Array<{ name: string; columns: string[] }> {
  return scenarioTables(context.db).map((name) => ({
    name,
    // Generated columns (hidden 2 and 3) are computed, never copied.
    columns: context.db.all<{ name: string; hidden: number }>(`PRAGMA table_xinfo("${name}")`)
      .filter((column) => column.hidden === 0).map((column) => `"${column.name}"`),
  }));
}

/** Replaces everything in a live sandbox with the template's data, in one transaction. */
export function restoreFromTemplate(context: AppContext, template: ScenarioTemplate): void {
  const { db } = context;
  db.statement('ATTACH DATABASE ? AS template').run(template.file);
  try {
    db.tx(() => {
      db.exec('PRAGMA defer_foreign_keys = ON');
      const tables = dataTables(context);
      // Empty everything first: ON DELETE CASCADE acts at once, and would undo rows already copied.
      for (const table of tables) db.exec(`DELETE FROM main."${table.name}"`);
      for (const table of tables) {
        const columns = table.columns.join(', ');
        db.exec(`INSERT INTO main."${table.name}" (${columns}) SELECT ${columns} FROM template."${table.name}"`);
      }
      db.exec('UPDATE main.sim_state SET scenario = (SELECT scenario FROM template.sim_state)');
    });
  } finally {
    db.exec('DETACH DATABASE template');
  }
  context.clock.restartAt(template.epochMs);
}
