import type { XStandInFault, XStandInFaultKind, XStandInFaults } from './x-standin-types.js';

const KINDS: ReadonlySet<string> = new Set<XStandInFaultKind>([
  'http-429',
  'http-500',
  'http-503',
  'drop-before',
  'drop-after',
  'timeout-after',
  'latency',
]);

/** Small seeded PRNG (mulberry32) so a fault run is reproducible from its seed. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface Rule {
  fault: XStandInFault;
  left: number;
}

/** Ordered fault rules; the first matching rule that fires decides the request's fate. */
export class FaultRules implements XStandInFaults {
  #rules: Rule[] = [];
  #random: () => number;

  constructor(private readonly seed: number) {
    this.#random = mulberry32(seed);
  }

  add(fault: XStandInFault): void {
    if (!KINDS.has(fault.kind)) throw new TypeError(`unknown fault kind: ${String(fault.kind)}`);
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
    this.#random = mulberry32(this.seed);
  }
}
