import { seededRandom } from '../../../util/seeded-random.js';
import { isStandInFaultKind, STAND_IN_FAULT_KINDS } from '../fault-kinds.js';
import type { ActiveFault, FaultSpec, StandInFaults } from './stand-in-types.js';

interface MutableFault extends FaultSpec {
  readonly id: string;
  hits: number;
}

/** Armed faults, consulted once per Bot API call; the first matching fault that fires wins. */
export class FaultInjector implements StandInFaults {
  readonly #faults: MutableFault[] = [];
  readonly #random: () => number;
  #nextId = 1;

  constructor(seed: number) {
    this.#random = seededRandom(seed);
  }

  add(spec: FaultSpec): string {
    if (!isStandInFaultKind(spec.kind)) {
      throw new TypeError(
        `unknown fault kind: ${String(spec.kind)} (known: ${STAND_IN_FAULT_KINDS.join(', ')})`,
      );
    }
    if (spec.probability !== undefined && !(spec.probability >= 0 && spec.probability <= 1)) {
      throw new RangeError('probability must be within 0..1');
    }
    const id = `fault-${this.#nextId++}`;
    this.#faults.push({ ...spec, id, hits: 0 });
    return id;
  }

  remove(id: string): void {
    const index = this.#faults.findIndex((fault) => fault.id === id);
    if (index !== -1) this.#faults.splice(index, 1);
  }

  clear(): void {
    this.#faults.length = 0;
  }

  list(): readonly ActiveFault[] {
    return this.#faults.map((fault) => ({ ...fault }));
  }

  /** The fault to apply to a call of `method`, if any; counts the hit and retires used-up faults. */
  pick(method: string): ActiveFault | undefined {
    const lower = method.toLowerCase();
    for (const fault of this.#faults) {
      if (fault.method !== undefined && fault.method.toLowerCase() !== lower) continue;
      if (fault.probability !== undefined && fault.probability < 1 && this.#random() >= fault.probability)
        continue;
      fault.hits += 1;
      if (fault.times !== undefined && fault.hits >= fault.times) this.remove(fault.id);
      return { ...fault };
    }
    return undefined;
  }
}
