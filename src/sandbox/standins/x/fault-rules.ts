import { seededRandom } from '../../../util/seeded-random.js';
import { isStandInFaultKind, STAND_IN_FAULT_KINDS } from '../fault-kinds.js';
import type { XStandInFault, XStandInFaults } from './x-standin-types.js';

interface Rule {
  fault: XStandInFault;
  left: number;
}

/** Ordered fault rules; the first matching rule that fires decides the request's fate. */
export class FaultRules implements XStandInFaults {
  #rules: Rule[] = [];
  #random: () => number;

  constructor(private readonly seed: number) {
    this.#random = seededRandom(seed);
  }

  add(fault: XStandInFault): void {
    if (!isStandInFaultKind(fault.kind)) {
      throw new TypeError(
        `unknown fault kind: ${String(fault.kind)} (known: ${STAND_IN_FAULT_KINDS.join(', ')})`,
      );
    }
    const probability = fault.probability ?? 1;
    if (!(probability >= 0 && probability <= 1)) throw new RangeError('probability must be within [0, 1]');
    if (fault.times !== undefined && !(Number.isInteger(fault.times) && fault.times > 0)) {
      throw new RangeError('times must be a positive integer');
    }
    this.#rules.push({ fault, left: fault.times ?? Number.POSITIVE_INFINITY });
  }

  clear(): void {
    this.#rules = [];
  }

  list(): readonly XStandInFault[] {
    return this.#rules.map((r) => r.fault);
  }

  /** The fault to apply to a request on `route`, consuming one of its `times`. */
  draw(route: string): XStandInFault | undefined {
    for (const rule of this.#rules) {
      if (rule.fault.method !== undefined && rule.fault.method !== route) continue;
      if (this.#random() >= (rule.fault.probability ?? 1)) continue;
      rule.left -= 1;
      if (rule.left <= 0) this.#rules = this.#rules.filter((r) => r !== rule);
      return rule.fault;
    }
    return undefined;
  }

  reset(): void {
    this.clear();
    this.#random = seededRandom(this.seed);
  }
}
