// Reading unknown JSON into the core's views: the field readers every projection shares. Each reader
// returns a usable value even when it records a problem, so one pass reports every problem of an
// object. Accepts both the JSON kubectl prints (timestamps as strings) and what
// @kubernetes/client-node 1.4 deserialises (the same camelCase keys, timestamps as Date objects).
//
// The projections run over every pod of a 5,000-node cluster (150,000 pods) on each tick, so the
// happy path allocates little: field paths for messages are only built when something is wrong,
// label and nodeSelector objects are shared with the input instead of copied, and absent maps share
// one frozen empty object.

import { OUR_PREFIX } from '../../../core/annotations';
import { InputError } from '../../../core/errors';
import { parseQuantity } from '../../../core/quantity';
import type { TaintEffect } from '../../../core/views';
import { parseRfc3339 } from './rfc3339';

export type Json = Record<string, unknown>;

export const EMPTY_JSON: Json = Object.freeze({});
export const EMPTY_MAP: Readonly<Record<string, string>> = Object.freeze({});

export const EFFECTS: ReadonlySet<string> = new Set<TaintEffect>(['NoSchedule', 'PreferNoSchedule', 'NoExecute']);

export type Problems = string[];

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

export function isAbsent(value: unknown): value is null | undefined {
  return value === undefined || value === null;
}

export function shown(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Date) return 'a Date';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  return String(value);
}

/** `base`, or `base[index]field`: built only when a problem is reported, never on the happy path. */
function pathOf(base: string, index: number, field: string): string {
  return index < 0 ? base : `${base}[${index}]${field}`;
}

export function expected(problems: Problems, value: unknown, what: string, base: string, index = -1, field = ''): void {
  const path = pathOf(base, index, field);
  problems.push(isAbsent(value) ? `${path}: expected ${what}` : `${path}: expected ${what}, got ${shown(value)}`);
}

export function objectAt(problems: Problems, value: unknown, base: string, index = -1, field = ''): Json {
  if (isObject(value)) return value;
  if (!isAbsent(value)) expected(problems, value, 'an object', base, index, field);
  return EMPTY_JSON;
}

export function arrayAt(problems: Problems, value: unknown, base: string): readonly unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (!isAbsent(value)) expected(problems, value, 'an array', base);
  return undefined;
}

export function requiredString(problems: Problems, value: unknown, base: string, index = -1, field = ''): string {
  if (typeof value === 'string' && value !== '') return value;
  expected(problems, value, value === '' ? 'a non-empty string' : 'a string', base, index, field);
  return '';
}

export function optionalString(problems: Problems, value: unknown, base: string, index = -1, field = ''): string | undefined {
  if (typeof value === 'string') return value;
  if (!isAbsent(value)) expected(problems, value, 'a string', base, index, field);
  return undefined;
}

export function optionalInteger(problems: Problems, value: unknown, path: string, min: number): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value) && value >= min) return value;
  if (!isAbsent(value)) expected(problems, value, min === 0 ? 'a whole number ≥ 0' : 'a whole number', path);
  return undefined;
}

export function optionalBoolean(problems: Problems, value: unknown, path: string): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (!isAbsent(value)) expected(problems, value, 'true or false', path);
  return undefined;
}

/** Epoch milliseconds from an RFC 3339 string (kubectl) or a Date (client-node). */
export function timeAt(problems: Problems, value: unknown, path: string, required: boolean): number | undefined {
  if (value instanceof Date) {
    const ms = value.getTime();
    if (!Number.isNaN(ms)) return ms;
  } else if (typeof value === 'string') {
    const ms = parseRfc3339(value);
    if (ms !== undefined) return ms;
  } else if (isAbsent(value) && !required) {
    return undefined;
  }
  expected(problems, value, 'an RFC 3339 timestamp', path);
  return undefined;
}

/** A string→string map, returned as is (not copied) once checked; absent or empty → the shared empty map. */
export function stringMapAt(problems: Problems, value: unknown, path: string): Readonly<Record<string, string>> {
  if (!isObject(value)) {
    if (!isAbsent(value)) expected(problems, value, 'an object of strings', path);
    return EMPTY_MAP;
  }
  let empty = true;
  for (const key in value) {
    empty = false;
    const entry = value[key];
    if (typeof entry !== 'string') expected(problems, entry, 'a string', `${path}["${key}"]`);
  }
  return empty ? EMPTY_MAP : (value as Record<string, string>);
}

/** Only the annotations the core reads; a new object only when one is kept. */
export function annotationsAt(
  problems: Problems,
  value: unknown,
  path: string,
  kept: ReadonlySet<string>,
): Readonly<Record<string, string>> {
  if (!isObject(value)) {
    if (!isAbsent(value)) expected(problems, value, 'an object of strings', path);
    return EMPTY_MAP;
  }
  let result: Record<string, string> | undefined;
  for (const key in value) {
    if (!key.startsWith(OUR_PREFIX) && !kept.has(key)) continue;
    const entry = value[key];
    if (typeof entry !== 'string') {
      expected(problems, entry, 'a string', `${path}["${key}"]`);
      continue;
    }
    result ??= {};
    result[key] = entry;
  }
  return result ?? EMPTY_MAP;
}

export function quantityAt(problems: Problems, value: unknown, base: string, index = -1, field = ''): number {
  if (isAbsent(value)) return 0;
  const parsed = typeof value === 'string' || typeof value === 'number' ? parseQuantity(value) : undefined;
  if (parsed !== undefined) return parsed;
  expected(problems, value, 'a quantity such as "250m", "512Mi" or "2"', base, index, field);
  return 0;
}

/** The condition of `type`, once its status and reason are checked to be strings. */
export function conditionOf(problems: Problems, value: unknown, type: string): Json | undefined {
  const conditions = arrayAt(problems, value, 'status.conditions');
  if (conditions === undefined) return undefined;
  for (let i = 0; i < conditions.length; i++) {
    const condition = conditions[i];
    if (!isObject(condition)) {
      expected(problems, condition, 'an object', 'status.conditions', i);
      continue;
    }
    if (condition.type !== type) continue;
    requiredString(problems, condition.status, 'status.conditions', i, '.status');
    optionalString(problems, condition.reason, 'status.conditions', i, '.reason');
    return condition;
  }
  return undefined;
}

export function rootObject(raw: unknown, kind: string): Json {
  if (isObject(raw)) return raw;
  throw new InputError(`expected a ${kind} object, got ${shown(raw)}`);
}

export function done<T>(problems: Problems, view: T): T {
  if (problems.length > 0) throw new InputError(problems);
  return view;
}

/**
 * The last few values built from a raw list, by its JSON: the pods of one Deployment carry the same
 * lists (affinity terms), so their views share one frozen value and the list is checked once.
 */
export class RecentLists<T> {
  private readonly values = new Map<string, T>();

  constructor(private readonly size: number) {}

  has(key: string): boolean {
    return this.values.has(key);
  }

  get(key: string): T | undefined {
    return this.values.get(key);
  }

  /** Remembered only when valid (a list with problems is checked again, so each pod names its own). */
  keep(key: string, value: T): void {
    if (this.values.size >= this.size) this.values.delete(this.values.keys().next().value!);
    this.values.set(key, value);
  }
}
