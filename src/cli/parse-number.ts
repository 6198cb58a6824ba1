/**
 * Commander option parsers for numbers, integers and ranges, so that a bad value is a usage error
 * naming the value instead of a NaN reaching a command.
 */
import { InvalidArgumentError } from 'commander';

/** Commander parser for a finite number option. */
export function parseNumber(value: string): number {
  const x = Number(value);
  if (value.trim() === '' || !Number.isFinite(x))
    throw new InvalidArgumentError(`'${value}' is not a number.`);
  return x;
}

/** Commander parser for a positive integer option. */
export function parsePositiveInt(value: string): number {
  const x = parseNumber(value);
  if (!Number.isInteger(x) || x < 1) throw new InvalidArgumentError(`'${value}' is not a positive integer.`);
  return x;
}

/** Commander parser for a positive number option (seconds). */
export function parsePositiveNumber(value: string): number {
  const x = parseNumber(value);
  if (!(x > 0)) throw new InvalidArgumentError(`'${value}' is not a positive number.`);
  return x;
}

/** Commander parser for an integer option (seeds). */
export function parseInteger(value: string): number {
  const x = parseNumber(value);
  if (!Number.isInteger(x)) throw new InvalidArgumentError(`'${value}' is not an integer.`);
  return x;
}

/** Commander parser for a range `lo:hi` (or a single value). */
export function parseRange(value: string): [number, number] {
  const parts = value.split(':').map((p) => parseNumber(p));
  const [lo, hi] = parts.length === 1 ? [parts[0]!, parts[0]!] : parts;
  if (parts.length > 2 || lo === undefined || hi === undefined || lo > hi)
    throw new InvalidArgumentError(`'${value}' is not a range lo:hi.`);
  return [lo, hi];
}
