// OneCycleLR (torch.optim.lr_scheduler.OneCycleLR): the 1cycle policy, stepped once per batch.
import { ArgumentError } from '@tensile/core';
import type { Optimizer } from '../optimizer.js';
import { bool, checkNum, describe, integer, oneOf, noUnknownKeys, optionsObject, positive } from '../validate.js';
import { LRScheduler, checkOptimizer } from './lr_scheduler.js';

/** OneCycleLR's options (PyTorch's names and defaults). */
export interface OneCycleLROptions {
  /** Peak learning rate, one for all groups or one per group (required). */
  maxLr: number | number[];
  /** Total steps of the cycle; or give epochs and stepsPerEpoch. */
  totalSteps?: number;
  epochs?: number;
  stepsPerEpoch?: number;
  /** Fraction of the cycle spent increasing the lr (default 0.3). */
  pctStart?: number;
  /** 'cos' (default) or 'linear' annealing. */
  annealStrategy?: 'cos' | 'linear';
  /** Cycle momentum (SGD/RMSprop `momentum`, Adam's beta1) inversely to the lr (default true). */
  cycleMomentum?: boolean;
  /** Lowest momentum, at the lr peak (default 0.85; one per group allowed). */
  baseMomentum?: number | number[];
  /** Highest momentum, at the ends (default 0.95; one per group allowed). */
  maxMomentum?: number | number[];
  /** initialLr = maxLr / divFactor (default 25). */
  divFactor?: number;
  /** minLr = initialLr / finalDivFactor (default 1e4). */
  finalDivFactor?: number;
  /** Three phases (up, down to initialLr, then to minLr) instead of two (default false). */
  threePhase?: boolean;
}

interface Phase {
  endStep: number;
  startLr: 'initialLr' | 'maxLr' | 'minLr';
  endLr: 'initialLr' | 'maxLr' | 'minLr';
  startMomentum: 'maxMomentum' | 'baseMomentum';
  endMomentum: 'maxMomentum' | 'baseMomentum';
}

const KEYS = ['maxLr', 'totalSteps', 'epochs', 'stepsPerEpoch', 'pctStart', 'annealStrategy', 'cycleMomentum',
  'baseMomentum', 'maxMomentum', 'divFactor', 'finalDivFactor', 'threePhase'];

/** A per-group list from a number or an array of the groups' length. */
function perGroup(owner: string, name: string, v: unknown, groups: number): number[] {
  const list = Array.isArray(v) ? v : [v];
  if (Array.isArray(v) && v.length !== groups) {
    throw new ArgumentError(`${owner}: option '${name}' must have one value per parameter group (${groups}), got ${describe(v)}`);
  }
  return (Array.isArray(v) ? list : Array(groups).fill(v)).map((x, i) => positive(owner, Array.isArray(v) ? `${name}[${i}]` : name, x));
}

/**
 * The 1cycle policy (Smith & Topin): the lr rises from maxLr/divFactor to maxLr over
 * pctStart of totalSteps, then anneals to initialLr/finalDivFactor; momentum cycles the
 * other way. Step it after every batch; stepping past totalSteps is an ArgumentError.
 * @example const sched = new OneCycleLR(opt, { maxLr: 0.1, totalSteps: epochs * batches });
 */
export class OneCycleLR extends LRScheduler {
  totalSteps: number;
  phases: Phase[];
  annealStrategy: 'cos' | 'linear';
  cycleMomentum: boolean;
  useBeta1: boolean;

  constructor(optimizer: Optimizer, options: OneCycleLROptions) {
    const owner = 'OneCycleLR';
    const o = optionsObject(owner, options);
    noUnknownKeys(owner, o, KEYS);
    let total: number;
    if (o.totalSteps !== undefined) {
      total = integer(owner, 'totalSteps', o.totalSteps, 1);
    } else if (o.epochs !== undefined && o.stepsPerEpoch !== undefined) {
      total = integer(owner, 'epochs', o.epochs, 1) * integer(owner, 'stepsPerEpoch', o.stepsPerEpoch, 1);
    } else {
      throw new ArgumentError(`${owner}: give option 'totalSteps', or 'epochs' and 'stepsPerEpoch'; got ${describe(Object.keys(o))}`);
    }
    const pct = checkNum(owner, 'pctStart', o.pctStart ?? 0.3, (v) => v >= 0 && v <= 1, 'in [0, 1]');
    const annealStrategy = oneOf(owner, 'annealStrategy', o.annealStrategy ?? 'cos', ['cos', 'linear'] as const);
    const divFactor = positive(owner, 'divFactor', o.divFactor ?? 25);
    const finalDivFactor = positive(owner, 'finalDivFactor', o.finalDivFactor ?? 1e4);
    const cycleMomentum = bool(owner, 'cycleMomentum', o.cycleMomentum ?? true);
    const threePhase = bool(owner, 'threePhase', o.threePhase ?? false);
    if (o.maxLr === undefined) throw new ArgumentError(`${owner}: option 'maxLr' is required`);
    // Checked before anything is written to the optimizer's groups.
    const optGroups = checkOptimizer(owner, optimizer).paramGroups;
    const n = optGroups.length;
    const maxLrs = perGroup(owner, 'maxLr', o.maxLr, n);
    let useBeta1 = false;
    let maxMs: number[] = [];
    let baseMs: number[] = [];
    if (cycleMomentum) {
      const defaults = (optimizer as Optimizer).defaults as unknown as Record<string, unknown>;
      if (!('momentum' in defaults) && !('betas' in defaults)) {
        throw new ArgumentError(`${owner}: option 'cycleMomentum' true needs an optimizer with 'momentum' or 'betas' (${(optimizer as Optimizer).name} has neither); pass cycleMomentum: false`);
      }
      useBeta1 = 'betas' in defaults;
      maxMs = perGroup(owner, 'maxMomentum', o.maxMomentum ?? 0.95, n);
      baseMs = perGroup(owner, 'baseMomentum', o.baseMomentum ?? 0.85, n);
    }
    optGroups.forEach((g, i) => {
      g.initialLr = maxLrs[i]! / divFactor;
      g.maxLr = maxLrs[i]!;
      g.minLr = g.initialLr / finalDivFactor;
      if (cycleMomentum) {
        const m = g as unknown as { momentum?: number; betas?: [number, number] };
        if (useBeta1) m.betas = [maxMs[i]!, m.betas![1]];
        else m.momentum = maxMs[i]!;
        g.maxMomentum = maxMs[i]!;
        g.baseMomentum = baseMs[i]!;
      }
    });
    super(owner, optimizer);
    this.totalSteps = total;
    this.annealStrategy = annealStrategy;
    this.cycleMomentum = cycleMomentum;
    this.useBeta1 = useBeta1;
    this.phases = threePhase
      ? [
          { endStep: pct * total - 1, startLr: 'initialLr', endLr: 'maxLr', startMomentum: 'maxMomentum', endMomentum: 'baseMomentum' },
          { endStep: 2 * pct * total - 2, startLr: 'maxLr', endLr: 'initialLr', startMomentum: 'baseMomentum', endMomentum: 'maxMomentum' },
          { endStep: total - 1, startLr: 'initialLr', endLr: 'minLr', startMomentum: 'maxMomentum', endMomentum: 'maxMomentum' },
        ]
      : [
          { endStep: pct * total - 1, startLr: 'initialLr', endLr: 'maxLr', startMomentum: 'maxMomentum', endMomentum: 'baseMomentum' },
          { endStep: total - 1, startLr: 'maxLr', endLr: 'minLr', startMomentum: 'baseMomentum', endMomentum: 'maxMomentum' },
        ];
    this.initialStep();
  }

  private anneal(start: number, end: number, pct: number): number {
    if (this.annealStrategy === 'linear') return (end - start) * pct + start;
    const cosOut = Math.cos(Math.PI * pct) + 1;
    return end + (start - end) / 2.0 * cosOut;
  }

  protected override getLr(): number[] {
    const stepNum = this.lastEpoch;
    if (stepNum > this.totalSteps) {
      throw new ArgumentError(`OneCycleLR: tried to step ${stepNum} times; the specified number of total steps is ${this.totalSteps}`);
    }
    return this.optimizer.paramGroups.map((group) => {
      let startStep = 0;
      let lr = 0;
      for (let i = 0; i < this.phases.length; i++) {
        const phase = this.phases[i]!;
        const endStep = phase.endStep;
        if (stepNum <= endStep || i === this.phases.length - 1) {
          const pct = (stepNum - startStep) / (endStep - startStep);
          lr = this.anneal(group[phase.startLr]!, group[phase.endLr]!, pct);
          if (this.cycleMomentum) {
            const m = this.anneal(group[phase.startMomentum]!, group[phase.endMomentum]!, pct);
            const g = group as unknown as { momentum?: number; betas?: [number, number] };
            if (this.useBeta1) g.betas = [m, g.betas![1]];
            else g.momentum = m;
          }
          break;
        }
        startStep = phase.endStep;
      }
      return lr;
    });
  }
}
