/**
 * Fault injection for the acquirer-sim service: the troubles a real acquirer gives a gateway,
 * on demand, so that the chaos benchmark and the tests can prove the gateway never
 * double-charges. Random faults come from a seeded generator, so a run can be replayed.
 */
export interface FaultSettings {
  /** Added to every /v1 request between performing its operation and answering. */
  latencyMs: number;
  /** Share of /v1 requests (0–1) answered with HTTP 500: half before the operation, half after it. */
  failureRate5xx: number;
  /** Share of /v1 requests (0–1) whose operation is performed, then the socket destroyed unanswered. */
  dropRate: number;
}

/** What happens to one request. */
export type Fault =
  | 'none'
  /** Perform the operation, then close the connection without answering. */
  | 'drop'
  /** Answer 500 without performing the operation. */
  | '5xx-before'
  /** Perform the operation, then answer 500. */
  | '5xx-after';

export interface Faults {
  readonly settings: Readonly<FaultSettings>;
  /** Forced faults still waiting for a request. */
  readonly pending: Readonly<{ drop: number; fail5xx: number }>;
  update(settings: Partial<FaultSettings>): void;
  /** The next `count` /v1 requests are performed, then dropped (before any random fault). */
  dropNext(count: number): void;
  /** The next `count` /v1 requests are performed, then answered 500 (after forced drops). */
  fail5xxNext(count: number): void;
  /** Decides the fault of the next request. */
  draw(): Fault;
}

export const NO_FAULTS: FaultSettings = { latencyMs: 0, failureRate5xx: 0, dropRate: 0 };

export function createFaults(initial: Partial<FaultSettings> = {}, seed = 1): Faults {
  const settings: FaultSettings = { ...NO_FAULTS };
  const pending = { drop: 0, fail5xx: 0 };
  const random = mulberry32(seed);

  const update = (changes: Partial<FaultSettings>) => {
    const next = { ...settings, ...changes };
    if (!(Number.isFinite(next.latencyMs) && next.latencyMs >= 0)) throw new RangeError('latencyMs must be 0 or more');
    for (const rate of ['failureRate5xx', 'dropRate'] as const) {
      if (!(next[rate] >= 0 && next[rate] <= 1)) throw new RangeError(`${rate} must be between 0 and 1`);
    }
    if (next.failureRate5xx + next.dropRate > 1) throw new RangeError('failureRate5xx + dropRate must be at most 1');
    Object.assign(settings, next);
  };
  const count = (value: number) => {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError('a fault count must be a whole number, 0 or more');
    return value;
  };
  update(initial);

  return {
    settings,
    pending,
    update,
    dropNext: (n) => void (pending.drop += count(n)),
    fail5xxNext: (n) => void (pending.fail5xx += count(n)),
    draw() {
      if (pending.drop > 0) {
        pending.drop--;
        return 'drop';
      }
      if (pending.fail5xx > 0) {
        pending.fail5xx--;
        return '5xx-after';
      }
      const roll = random();
      if (roll < settings.dropRate) return 'drop';
      if (roll < settings.dropRate + settings.failureRate5xx) return random() < 0.5 ? '5xx-before' : '5xx-after';
      return 'none';
    },
  };
}

/** A small, fast, seeded generator of numbers in [0, 1); good enough to pick faults. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
