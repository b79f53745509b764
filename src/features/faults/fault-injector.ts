// Faults a QA run injects into its sandbox to test its own resilience: latency or an error status
// on the routes matching a pattern, with a probability, for a number of requests or until cleared;
// or texts to one phone number that never arrive ("I never got the code").
import crypto from 'node:crypto';
import type { RequestHandler } from 'express';
import { sendErrorAnswer } from '../../http/error-answer';
import { matchesPathPattern } from './path-pattern';

export interface RouteFaultSpec {
  /** The kind a fault is when none is given: faults were only ever on routes before texts existed. */
  kind?: 'route' | undefined;
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

export interface SmsFaultSpec {
  kind: 'sms_undelivered';
  /** E.164: texts to this number are swallowed. */
  phone: string;
  /** How many texts before the fault clears itself; unlimited when absent. */
  times?: number | undefined;
  // None of a route fault's fields, so code reading a fault of either kind reads them as absent.
  pattern?: never;
  method?: never;
  latencyMs?: never;
  status?: never;
  probability?: never;
}

export type FaultSpec = RouteFaultSpec | SmsFaultSpec;

interface FaultCount {
  id: string;
  /** Requests (or texts) it has affected so far. */
  hits: number;
}

export type RouteFault = RouteFaultSpec & FaultCount & { kind: 'route' };
export type SmsFault = SmsFaultSpec & FaultCount;
export type Fault = RouteFault | SmsFault;

/** The simulator's own controls are never faulted, so a run can always clear what it set. */
const EXEMPT = /^\/sim(\/|$)/;

/** Told of each request a fault affects, as it is picked (the journal records it). */
export type FaultFired = (fault: RouteFault, method: string, path: string) => void;

export class FaultInjector {
  private faults: Fault[] = [];

  constructor(private readonly onFired: FaultFired = () => undefined) {}

  add(spec: FaultSpec): Fault {
    const count = { id: `f-${crypto.randomBytes(4).toString('hex')}`, hits: 0 };
    const fault: Fault = spec.kind === 'sms_undelivered' ? { ...spec, ...count } : { ...spec, ...count, kind: 'route' };
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
  pick(method: string, path: string, random: () => number = Math.random): RouteFault | undefined {
    if (EXEMPT.test(path)) return undefined;
    const fault = this.faults.find((f): f is RouteFault => f.kind === 'route' && matchesPathPattern(f.pattern, path)
      && (!f.method || f.method.toUpperCase() === method.toUpperCase()));
    if (!fault || random() >= fault.probability) return undefined;
    const fired = this.count(fault);
    this.onFired(fired, method, path);
    return fired;
  }

  /** The fault that swallows a text to this E.164 number, if any; counts it and retires spent faults. */
  swallowText(phone: string): SmsFault | undefined {
    const fault = this.faults.find((f): f is SmsFault => f.kind === 'sms_undelivered' && f.phone === phone);
    return fault ? this.count(fault) : undefined;
  }

  private count<F extends Fault>(fault: F): F {
    fault.hits += 1;
    if (fault.times !== undefined && fault.hits >= fault.times) this.remove(fault.id);
    return this.describe(fault);
  }

  /** A copy, so callers never change the live fault's hit count. */
  private describe<F extends Fault>(fault: F): F {
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
