import { inspect } from 'node:util';

/**
 * A value that must never reach a log line, an error message or a JSON body by accident:
 * card numbers, CVCs, app secrets. Every way JavaScript and Node print a value
 * (String(), template literals, JSON.stringify, console.log / util.inspect, pino) prints
 * the mask instead. The only way to the value is an explicit `.reveal()`, which is easy to
 * find in review.
 *
 * The value lives in a private field so that it is not an own property either: spreading,
 * Object.entries, structuredClone and test-runner diffs do not see it.
 */
export class Secret<T> {
  readonly #value: T;
  readonly #mask: string;

  /** `mask` is what printing shows, e.g. `•••• 4242` for a card number; keep it free of the secret. */
  constructor(value: T, mask = '[secret]') {
    this.#value = value;
    this.#mask = mask;
  }

  /** The secret itself. Call it only where the value leaves for its one rightful destination. */
  reveal(): T {
    return this.#value;
  }

  toString(): string {
    return this.#mask;
  }

  toJSON(): string {
    return this.#mask;
  }

  [Symbol.toPrimitive](): string {
    return this.#mask;
  }

  [inspect.custom](): string {
    return `Secret(${this.#mask})`;
  }
}

export const isSecret = (value: unknown): value is Secret<unknown> => value instanceof Secret;
