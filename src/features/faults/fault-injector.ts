// Faults a QA run injects into its sandbox to test its own resilience: latency or an error status
// on the routes matching a pattern, with a probability, for a number of requests or until cleared.
import crypto from 'node:crypto';
import type { RequestHandler } from 'express';
import { sendErrorAnswer } from '../../http/error-answer';
import { matchesPathPattern } from './path-pattern';

export interface FaultSpec {
  /** A path pattern: "*" matches any run of characters ("/cards/*", "/transactions*"). */
  pattern: string;
  /** Only this method; any method when absent. */
  method?: string | undefined;
  latencyMs?: number | undefined;
  /** Answer with this status instead of the page (after any latency). */
  status?: number | undefined;
  /** Chance, 0–1, that a matching request is affected. */
  probability: number;
  /** How many affected requests before the fault clears itself; unlimited when absent. */
  times?: number | undefined;
}

export interface Fault extends FaultSpec {
  id: string;
  /** Requests it has affected so far. */
  hits: number;
}

/** The simulator's own controls are never faulted, so a run can always clear what it set. */
const EXEMPT = /^\/sim(\/|$)/;

/** Told of each request a fault affects, as it is picked (the journal records it). */
export type FaultFired = (fault: Fault, method: string, path: string) => void;

export class FaultInjector {
  private faults: Fault[] = [];

  constructor(private readonly onFired: FaultFired = () => undefined) {}

  add(spec: FaultSpec): Fault {
    const fault = { ...spec, id: `f-${crypto.randomBytes(4).toString('hex')}`, hits: 0 };
    this.faults.push(fault);
    return this.describe(fault);
  }

  list(): Fault[] {
    return this.faults.map((fault) => this.describe(fault));
  }

  remove(id: string): boolean {
    const before = this.faults.length;
    this.faults = this.faults.filter((fault) => fault.id !== id);
    return this.faults.length < before;
  }

  clear(): number {
    const count = this.faults.length;
    this.faults = [];
    return count;
  }

  /** The fault that applies to this request, if any; counts it and retires spent faults. */
  pick(method: string, path: string, random: () => number = Math.random): Fault | undefined {
    if (EXEMPT.test(path)) return undefined;
    const fault = this.faults.find((f) => matchesPathPattern(f.pattern, path) && (!f.method || f.method.toUpperCase() === method.toUpperCase()));
    if (!fault || random() >= fault.probability) return undefined;
    fault.hits += 1;
    if (fault.times !== undefined && fault.hits >= fault.times) this.remove(fault.id);
    const fired = this.describe(fault);
    this.onFired(fired, method, path);
    return fired;
  }

  /** A copy, so callers never change the live fault's hit count. */
  private describe(fault: Fault): Fault {
    return { ...fault };
  }

  /**
   * Middleware: delays or fails the requests a fault applies to. `stillOpen` throws if the sandbox
   * closed while a request was held (deleted meanwhile): that request is answered with the reason.
   */
  middleware(stillOpen: () => void): RequestHandler {
    return (req, res, next) => {
      const fault = this.pick(req.method, req.path);
      if (!fault) return next();
      const act = () => {
        try {
          stillOpen();
        } catch (err) {
          return next(err);
        }
        if (fault.status === undefined) return next();
        res.set('X-Sim-Fault', fault.id);
        sendErrorAnswer(req, res, {
          status: fault.status,
          code: 'injected_fault',
          title: 'Injected fault',
          message: `Injected fault ${fault.id} on ${fault.pattern}.`,
          links: [{ href: '/sim', text: 'Clear it on the simulator console' }],
        });
      };
      if (fault.latencyMs) setTimeout(act, fault.latencyMs);
      else act();
    };
  }
}
