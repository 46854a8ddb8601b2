/** Readers of the `payrail` command's option values: each answers a bad value with a sentence naming the option. */
import { InvalidArgumentError } from 'commander';
import { parseAmount } from '../domain/money.ts';
import { ACQUIRER_NAMES } from '../acquirers/index.ts';

export const integer = (name: string, min: number, max: number) => (value: string) => {
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < min || number > max) throw new InvalidArgumentError(`${name} must be a whole number from ${min} to ${max}`);
  return number;
};

export const amount = (name: string) => (value: string) => {
  try {
    return parseAmount(value, name);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
};

/** A fee amount such as 0.50: like an amount, but zero is allowed. */
export const feeAmount = (name: string) => (value: string) => {
  const match = /^([0-9]{1,9})(?:\.([0-9]{1,2}))?$/.exec(value);
  if (!match) throw new InvalidArgumentError(`${name} must be an amount such as 0.50, at most two decimals`);
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
};

export const choice =
  <T extends string>(name: string, choices: readonly T[]) =>
  (value: string): T => {
    if (!(choices as readonly string[]).includes(value)) throw new InvalidArgumentError(`${name} must be one of ${choices.join(', ')}`);
    return value as T;
  };

/** `--acquirers adyen,stripe`: an ordered list of known connectors, each once. */
export const acquirerList = (value: string): string[] => {
  const list = value.split(',').map((name) => name.trim()).filter(Boolean);
  const unknownName = list.find((name) => !(ACQUIRER_NAMES as readonly string[]).includes(name));
  if (unknownName !== undefined) throw new InvalidArgumentError(`--acquirers: ${unknownName} is not one of ${ACQUIRER_NAMES.join(', ')}`);
  if (list.length === 0 || list.length > 4 || new Set(list).size !== list.length) throw new InvalidArgumentError('--acquirers must name 1 to 4 different acquirers, e.g. adyen,stripe');
  return list;
};
