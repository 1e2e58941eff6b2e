// The only door from a person's policy document to a Policy. Every problem is collected before
// returning, each as `<path>: expected <what>, got <what>`, so one run tells a person everything to
// fix. Values the planners would silently clamp (a window minimum above maxNodes) are refused here
// instead, because a clamp the author did not expect is a scaling surprise at 3 a.m.

import { BATCH_DEPLOYABLE_LABEL } from './annotations';
import { parseDuration } from './duration';
import type {
  BalanceMeasure,
  DeschedulerPolicy,
  NodeCost,
  NodePrewarm,
  NodePolicy,
  NodeWindow,
  Policy,
  ReplicaWindow,
  TimeWindow,
  WorkerPolicy,
} from './policy';
import { DEFAULT_MODE, isScalerMode, SCALER_MODES, type Modes, type ScalerMode } from './modes';
import { SCALER_NAMES } from './scalers';
import { isValidTimeZone, parseDays, parseHours } from './schedule';
import { EVERYTHING, labelKeyProblem, labelValueProblem, parseSelector } from './selector';
import type { LabelSelector } from './views';

export type ValidationResult = { ok: true; policy: Policy } | { ok: false; errors: string[] };

type Mapping = Record<string, unknown>;

const TOP_KEYS = ['modes', 'timezone', 'holidays', 'nodes', 'workers', 'descheduler'] as const;
const NODE_KEYS = [
  'pools',
  'poolMaxNodes',
  'targetPodsPerNode',
  'minNodes',
  'maxNodes',
  'schedule',
  'protectedNodeLabels',
  'scaleDownDelay',
  'maxConcurrentDrains',
  'maxEvictionsPerRun',
  'maxStopsPerRun',
  'startTimeout',
  'provisionTimeout',
  'stopTimeout',
  'protectLocalStorage',
  'blockingSystemPodTimeout',
  'staysTaint',
  'prewarm',
  'cost',
] as const;
const PREWARM_KEYS = ['mode', 'lead'] as const;
const PREWARM_MODES = ['act', 'forecast', 'off'] as const;
const COST_KEYS = ['currency', 'vmHour', 'deallocatedDiskHour'] as const;
const WORKER_KEYS = [
  'name',
  'namespace',
  'deployment',
  'queues',
  'jobsPerWorker',
  'activationMessages',
  'minReplicas',
  'maxReplicas',
  'maxQueueDelay',
  'scaleDownDelay',
  'scaleDownInterval',
  'scaleDownMargin',
  'schedule',
] as const;
const DESCHEDULER_KEYS = [
  'podSelector',
  'nodeSelector',
  'balanceBy',
  'maxEvictionsPerRun',
  'minPodAge',
  'workloadCooldown',
  'staysRoom',
] as const;

const DEFAULT_TIMEZONE = 'Asia/Tokyo';
const DEFAULT_PROTECTED_LABELS = [BATCH_DEPLOYABLE_LABEL];

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
// AKS: Linux pool names are 1-12 lowercase alphanumerics starting with a letter.
const POOL_NAME = /^[a-z][a-z0-9]{0,11}$/;
// Azure Storage: 3-63 characters, lowercase letters, digits and single hyphens, alphanumeric at both ends.
const QUEUE_NAME = /^[a-z0-9](?:[a-z0-9]|-(?!-))*[a-z0-9]$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const DURATION_EXPECTED = 'a duration like 30s, 10m or 20h';

export function validatePolicy(raw: unknown): ValidationResult {
  const r = new Reader();
  const root = r.mapping(raw, '', TOP_KEYS);
  if (root === undefined) return { ok: false, errors: r.problems };

  const timezone = r.string(root, 'timezone', '', {
    expected: 'an IANA time zone such as "Asia/Tokyo" or "Europe/Berlin"',
    fallback: DEFAULT_TIMEZONE,
    valid: isValidTimeZone,
  });
  const holidays = r.list(root, 'holidays', '', 'a list of dates "YYYY-MM-DD" (or { date, name })', []);
  const holidaySet = new Set<string>();
  const holidayNames = new Map<string, string>();
  holidays?.forEach((item, i) => {
    if (typeof item === 'string' && isCalendarDate(item)) holidaySet.add(item);
    else if (isMapping(item)) {
      // A named holiday, { date, name }: reasons and the status page name it on that day.
      const m = r.mapping(item, `holidays[${i}]`, ['date', 'name']);
      const date = m && r.string(m, 'date', `holidays[${i}]`, { expected: 'a date as "YYYY-MM-DD"', valid: isCalendarDate });
      const name = m && r.string(m, 'name', `holidays[${i}]`, { expected: "the holiday's name", fallback: '', allowEmpty: true });
      if (date !== undefined) holidaySet.add(date);
      if (date !== undefined && name) holidayNames.set(date, name.trim());
    } else r.expect(`holidays[${i}]`, 'a date as "YYYY-MM-DD"', item);
  });

  const modes = readModes(r, root['modes']);
  const nodes = root['nodes'] === undefined ? undefined : readNodes(r, root['nodes']);
  const workers = readWorkers(r, root);
  const descheduler = root['descheduler'] === undefined ? undefined : readDescheduler(r, root['descheduler']);

  const hasWorkers = Array.isArray(root['workers']) && root['workers'].length > 0;
  if (root['nodes'] === undefined && !hasWorkers && root['descheduler'] === undefined) {
    r.expect('policy', 'at least one of nodes, workers or descheduler', undefined, 'none of them');
  }

  if (r.problems.length > 0 || timezone === undefined || workers === undefined || modes === undefined) {
    return { ok: false, errors: r.problems };
  }
  const named = holidayNames.size > 0 ? { holidayNames } : {};
  return { ok: true, policy: { modes, timezone, holidays: holidaySet, ...named, nodes, workers, descheduler } };
}

/** `modes: { nodes: observe, workers: act, descheduler: off }`; a scaler not named observes. */
function readModes(r: Reader, raw: unknown): Modes | undefined {
  const modes: Record<string, ScalerMode> = Object.fromEntries(SCALER_NAMES.map((s) => [s, DEFAULT_MODE]));
  if (raw === undefined) return modes as unknown as Modes;
  const m = r.mapping(raw, 'modes', SCALER_NAMES);
  if (m === undefined) return undefined;
  let failed = false;
  for (const scaler of SCALER_NAMES) {
    const value = m[scaler];
    if (value === undefined) continue;
    if (isScalerMode(value)) modes[scaler] = value;
    else {
      r.expect(`modes.${scaler}`, `one of ${SCALER_MODES.join(', ')} (observe plans and records without acting)`, value);
      failed = true;
    }
  }
  return failed ? undefined : (modes as unknown as Modes);
}

function readNodes(r: Reader, raw: unknown): NodePolicy | undefined {
  const path = 'nodes';
  const m = r.mapping(raw, path, NODE_KEYS);
  if (m === undefined) return undefined;

  const pools = r.names(m, 'pools', path, {
    what: 'agent pool names',
    expected: 'an AKS agent pool name (lowercase letters and digits, starting with a letter, at most 12 characters)',
    pattern: POOL_NAME,
  });
  const minNodes = r.int(m, 'minNodes', path, 0, 0);
  const maxNodes = r.int(m, 'maxNodes', path, 1);
  if (minNodes !== undefined && maxNodes !== undefined && minNodes > maxNodes) {
    r.expect(`${path}.minNodes`, `at most nodes.maxNodes (${maxNodes})`, minNodes);
  }
  const poolMaxNodes = readPoolMaxNodes(r, m['poolMaxNodes'], pools);
  const targetPodsPerNode = r.int(m, 'targetPodsPerNode', path, 1);
  const schedule = readSchedule(r, m, path, 'minNodes', 'maxNodes', minNodes, maxNodes, { outer: targetPodsPerNode });

  const labels = r.list(m, 'protectedNodeLabels', path, 'a list of labels "key" or "key=value"', DEFAULT_PROTECTED_LABELS);
  const protectedNodeLabels: string[] = [];
  labels?.forEach((item, i) => {
    const at = `${path}.protectedNodeLabels[${i}]`;
    if (typeof item !== 'string') return r.expect(at, 'a label "key" or "key=value"', item);
    const problem = protectedLabelProblem(item);
    if (problem === undefined) protectedNodeLabels.push(item);
    else r.expect(at, 'a label "key" or "key=value"', item, `${describe(item)} (${problem})`);
  });

  const cost = m['cost'] === undefined ? undefined : readCost(r, m['cost'], `${path}.cost`);
  const prewarm = readPrewarm(r, m['prewarm'], `${path}.prewarm`);
  const policy = complete<NodePolicy>({
    pools,
    poolMaxNodes,
    targetPodsPerNode,
    minNodes,
    maxNodes,
    schedule: schedule?.map((w): NodeWindow => ({ ...windowOf(w), minNodes: w.min, maxNodes: w.max, targetPodsPerNode: w.target })),
    protectedNodeLabels: labels === undefined ? undefined : protectedNodeLabels,
    scaleDownDelayMs: r.duration(m, 'scaleDownDelay', path, '10m'),
    maxConcurrentDrains: r.int(m, 'maxConcurrentDrains', path, 1, 1),
    maxEvictionsPerRun: r.int(m, 'maxEvictionsPerRun', path, 1, 20),
    maxStopsPerRun: r.int(m, 'maxStopsPerRun', path, 1, 2),
    startTimeoutMs: r.duration(m, 'startTimeout', path, '10m'),
    provisionTimeoutMs: r.duration(m, 'provisionTimeout', path, '15m'),
    stopTimeoutMs: r.duration(m, 'stopTimeout', path, '10m'),
    protectLocalStorage: r.bool(m, 'protectLocalStorage', path, false),
    blockingSystemPodTimeoutMs: r.duration(m, 'blockingSystemPodTimeout', path, '1h'),
    staysTaint: r.bool(m, 'staysTaint', path, false),
    prewarm,
  });
  return policy !== undefined && cost !== undefined ? { ...policy, cost } : policy;
}

/** `prewarm: { mode: forecast, lead: 10m }`; absent: forecast only, 10 minutes ahead. */
function readPrewarm(r: Reader, raw: unknown, path: string): NodePrewarm | undefined {
  const m = raw === undefined ? {} : r.mapping(raw, path, PREWARM_KEYS);
  if (m === undefined) return undefined;
  const mode = r.string(m, 'mode', path, {
    expected: `one of ${PREWARM_MODES.join(', ')} (forecast shows what pre-warming would start without starting it)`,
    fallback: 'forecast',
    valid: (s) => (PREWARM_MODES as readonly string[]).includes(s),
  }) as NodePrewarm['mode'] | undefined;
  const leadMs = r.duration(m, 'lead', path, '10m');
  return complete<NodePrewarm>({ mode, leadMs });
}

function readCost(r: Reader, raw: unknown, path: string): NodeCost | undefined {
  const m = r.mapping(raw, path, COST_KEYS);
  if (m === undefined) return undefined;
  const currency = r.string(m, 'currency', path, {
    expected: 'a currency code of three capital letters, like "JPY" or "USD"',
    valid: (s) => /^[A-Z]{3}$/.test(s),
  });
  const vmHour = readPrices(r, m, 'vmHour', path, true);
  const deallocatedDiskHour = m['deallocatedDiskHour'] === undefined ? {} : readPrices(r, m, 'deallocatedDiskHour', path, false);
  return complete<NodeCost>({ currency, vmHour, deallocatedDiskHour });
}

/** A mapping of agent pool name to a price (a number >= 0); `required`: at least one pool. */
function readPrices(r: Reader, m: Mapping, key: string, path: string, required: boolean): Record<string, number> | undefined {
  const at = join(path, key);
  const expected = 'a mapping of agent pool name to a price per hour, like { user: 38.5 }';
  const raw = m[key];
  if (!isMapping(raw) || (required && Object.keys(raw).length === 0)) {
    r.expect(at, expected, raw);
    return undefined;
  }
  const prices: Record<string, number> = {};
  let failed = false;
  for (const [pool, price] of Object.entries(raw)) {
    if (!POOL_NAME.test(pool)) {
      r.expect(
        `${at}.${pool}`,
        'an AKS agent pool name (lowercase letters and digits, starting with a letter, at most 12 characters) as the key',
        pool,
      );
      failed = true;
    } else if (typeof price !== 'number' || !Number.isFinite(price) || price < 0) {
      r.expect(`${at}.${pool}`, 'a price per hour: a number >= 0', price);
      failed = true;
    } else prices[pool] = price;
  }
  return failed ? undefined : prices;
}

/** `poolMaxNodes: { user: 20 }`: each key a pool of `nodes.pools`, each value a whole number >= 1. */
function readPoolMaxNodes(r: Reader, raw: unknown, pools: readonly string[] | undefined): Record<string, number> | undefined {
  const path = 'nodes.poolMaxNodes';
  if (raw === undefined) return {};
  if (pools === undefined) return undefined; // the pools themselves are wrong: reported already
  const m = r.mapping(raw, path, pools);
  if (m === undefined) return undefined;
  const out: Record<string, number> = {};
  for (const pool of Object.keys(m)) {
    if (!pools.includes(pool)) continue; // reported by mapping() as an unknown key
    const max = r.int(m, pool, path, 1);
    if (max !== undefined) out[pool] = max;
  }
  return out;
}

function readWorkers(r: Reader, root: Mapping): WorkerPolicy[] | undefined {
  const list = r.list(root, 'workers', '', 'a list of worker deployments', []);
  if (list === undefined) return undefined;
  const workers: WorkerPolicy[] = [];
  const firstIndexOf = new Map<string, number>();
  list.forEach((raw, i) => {
    const path = `workers[${i}]`;
    const m = r.mapping(raw, path, WORKER_KEYS);
    if (m === undefined) return;
    const name = r.string(m, 'name', path, {
      expected: 'a DNS label (lowercase letters, digits and "-", at most 63 characters)',
      valid: (s) => DNS_LABEL.test(s),
    });
    if (name !== undefined) {
      const first = firstIndexOf.get(name);
      if (first === undefined) firstIndexOf.set(name, i);
      else r.expect(`${path}.name`, `a name not used by another worker (workers[${first}] is also "${name}")`, name);
    }
    const minReplicas = r.int(m, 'minReplicas', path, 0, 0);
    const maxReplicas = r.int(m, 'maxReplicas', path, 1);
    if (minReplicas !== undefined && maxReplicas !== undefined && minReplicas > maxReplicas) {
      r.expect(`${path}.minReplicas`, `at most ${path}.maxReplicas (${maxReplicas})`, minReplicas);
    }
    const schedule = readSchedule(r, m, path, 'minReplicas', 'maxReplicas', minReplicas, maxReplicas);
    const worker = complete<WorkerPolicy>({
      name,
      namespace: r.string(m, 'namespace', path, {
        expected: 'a Kubernetes namespace (lowercase letters, digits and "-", at most 63 characters)',
        valid: (s) => DNS_LABEL.test(s),
      }),
      deployment: r.string(m, 'deployment', path, {
        expected: 'a Deployment name (lowercase letters, digits, "-" and ".", at most 253 characters)',
        valid: (s) => s.length <= 253 && DNS_SUBDOMAIN.test(s),
      }),
      queues: r.names(m, 'queues', path, {
        what: 'queue names',
        expected:
          'an Azure Storage queue name (3-63 characters: lowercase letters, digits and single hyphens, starting and ending with a letter or digit)',
        pattern: QUEUE_NAME,
        maxLength: 63,
        minLength: 3,
      }),
      jobsPerWorker: r.int(m, 'jobsPerWorker', path, 1),
      activationMessages: r.int(m, 'activationMessages', path, 1, 1),
      minReplicas,
      maxReplicas,
      maxQueueDelayMs: r.duration(m, 'maxQueueDelay', path, '2m'),
      scaleDownDelayMs: r.duration(m, 'scaleDownDelay', path, '5m'),
      scaleDownIntervalMs: r.duration(m, 'scaleDownInterval', path, '30m'),
      scaleDownMarginPercent: r.percent(m, 'scaleDownMargin', path, 50),
      schedule: schedule?.map((w): ReplicaWindow => ({ ...windowOf(w), minReplicas: w.min, maxReplicas: w.max })),
    });
    if (worker !== undefined) workers.push(worker);
  });
  return workers;
}

function readDescheduler(r: Reader, raw: unknown): DeschedulerPolicy | undefined {
  const path = 'descheduler';
  const m = r.mapping(raw, path, DESCHEDULER_KEYS);
  if (m === undefined) return undefined;

  const podSelectorText = r.string(m, 'podSelector', path, {
    expected: 'a label selector like "clomo/descheduling=enabled"',
    allowEmpty: true,
  });
  let podSelector: LabelSelector | undefined;
  if (podSelectorText !== undefined) {
    if (podSelectorText.trim() === '') {
      r.expect(`${path}.podSelector`, 'a non-empty label selector (an empty one would opt every pod in)', podSelectorText);
    } else {
      podSelector = r.selector(`${path}.podSelector`, podSelectorText);
    }
  }
  const nodeSelectorText = r.string(m, 'nodeSelector', path, {
    expected: 'a label selector like "kubernetes.azure.com/agentpool=user", or "" for all nodes',
    fallback: '',
    allowEmpty: true,
  });
  const nodeSelector =
    nodeSelectorText === undefined
      ? undefined
      : nodeSelectorText.trim() === ''
        ? EVERYTHING
        : r.selector(`${path}.nodeSelector`, nodeSelectorText);
  const balanceBy = r.string(m, 'balanceBy', path, {
    expected: '"memory" or "count"',
    fallback: 'memory',
    valid: (s) => s === 'memory' || s === 'count',
  }) as BalanceMeasure | undefined;

  return complete<DeschedulerPolicy>({
    podSelectorText,
    podSelector,
    nodeSelectorText,
    nodeSelector,
    balanceBy,
    maxEvictionsPerRun: r.int(m, 'maxEvictionsPerRun', path, 1, 5),
    minPodAgeMs: r.duration(m, 'minPodAge', path, '15m'),
    workloadCooldownMs: r.duration(m, 'workloadCooldown', path, '30m'),
    staysRoom: r.bool(m, 'staysRoom', path, true),
  });
}

const TARGET_KEY = 'targetPodsPerNode';

interface ParsedWindow extends TimeWindow {
  min: number | undefined;
  max: number | undefined;
  /** Node windows only: the window's targetPodsPerNode. */
  target: number | undefined;
}

function windowOf(w: ParsedWindow): TimeWindow {
  return { label: w.label, days: w.days, startMinute: w.startMinute, endMinute: w.endMinute };
}

/**
 * The bounds a window may hold are the ones `effectiveBounds` honours as written: a window only
 * raises the minimum and only lowers the maximum, both within the section's minimum..maximum. A node
 * window (`target` given, with the section's own) may also lower targetPodsPerNode, never raise it: a
 * window only ever makes the scaler more careful.
 */
function readSchedule(
  r: Reader,
  m: Mapping,
  path: string,
  minKey: string,
  maxKey: string,
  outerMin: number | undefined,
  outerMax: number | undefined,
  target?: { outer: number | undefined },
): ParsedWindow[] | undefined {
  const nodes = target !== undefined;
  const keys = nodes ? ['days', 'hours', minKey, maxKey, TARGET_KEY] : ['days', 'hours', minKey, maxKey];
  const list = r.list(m, 'schedule', path, `a list of windows { days, hours, ${keys.slice(2).join(', ')} }`, []);
  if (list === undefined) return undefined;
  const windows: ParsedWindow[] = [];
  let failed = false;
  list.forEach((raw, i) => {
    const at = `${path}.schedule[${i}]`;
    const w = r.mapping(raw, at, keys);
    if (w === undefined) {
      failed = true;
      return;
    }
    const daysText = r.string(w, 'days', at, { expected: 'days like "Mon-Fri", "Sat,Sun", "Fri-Mon" or "daily"' });
    const days = daysText === undefined ? undefined : parseDays(daysText);
    if (daysText !== undefined && days === undefined) {
      r.expect(`${at}.days`, 'days like "Mon-Fri", "Sat,Sun", "Fri-Mon" or "daily"', daysText);
    }
    const hoursText = r.string(w, 'hours', at, { expected: '"HH:MM-HH:MM"' });
    const hours = hoursText === undefined ? undefined : parseHours(hoursText);
    if (hoursText !== undefined && hours === undefined) {
      r.expect(`${at}.hours`, '"HH:MM-HH:MM"', hoursText);
    } else if (hours !== undefined && hours.startMinute === hours.endMinute) {
      r.expect(`${at}.hours`, 'a window of at least one minute (start and end differ)', hoursText);
    }

    const min = w[minKey] === undefined ? undefined : r.int(w, minKey, at, 0);
    const max = w[maxKey] === undefined ? undefined : r.int(w, maxKey, at, 0);
    const windowTarget = !nodes || w[TARGET_KEY] === undefined ? undefined : r.int(w, TARGET_KEY, at, 1);
    if (w[minKey] === undefined && w[maxKey] === undefined && (!nodes || w[TARGET_KEY] === undefined)) {
      r.expect(
        at,
        nodes ? `${minKey}, ${maxKey} or ${TARGET_KEY}` : `${minKey} or ${maxKey} (or both)`,
        undefined,
        nodes ? 'none of them' : 'neither',
      );
    }
    const outerTarget = target?.outer;
    if (windowTarget !== undefined && outerTarget !== undefined && windowTarget > outerTarget) {
      r.expect(
        `${at}.${TARGET_KEY}`,
        `at most ${path}.${TARGET_KEY} (${outerTarget}), since a window can only widen the margin`,
        windowTarget,
      );
    }
    const minName = `${path}.${minKey}`;
    const maxName = `${path}.${maxKey}`;
    if (min !== undefined) {
      if (outerMin !== undefined && min < outerMin) {
        r.expect(`${at}.${minKey}`, `at least ${minName} (${outerMin}), since a window can only raise the minimum`, min);
      } else if (outerMax !== undefined && min > outerMax) {
        r.expect(`${at}.${minKey}`, `at most ${maxName} (${outerMax})`, min);
      } else if (max !== undefined && min > max) {
        r.expect(`${at}.${minKey}`, `at most this window's ${maxKey} (${max})`, min);
      }
    }
    if (max !== undefined) {
      if (outerMax !== undefined && max > outerMax) {
        r.expect(`${at}.${maxKey}`, `at most ${maxName} (${outerMax}), since a window can only lower the maximum`, max);
      } else if (outerMin !== undefined && max < outerMin) {
        r.expect(`${at}.${maxKey}`, `at least ${minName} (${outerMin})`, max);
      }
    }

    if (days === undefined || hours === undefined || daysText === undefined || hoursText === undefined) {
      failed = true;
      return;
    }
    windows.push({ label: `${daysText} ${hoursText}`, days, ...hours, min, max, target: windowTarget });
  });
  return failed ? undefined : windows;
}

function protectedLabelProblem(text: string): string | undefined {
  const eq = text.indexOf('=');
  const key = eq < 0 ? text : text.slice(0, eq);
  return labelKeyProblem(key) ?? (eq < 0 ? undefined : labelValueProblem(text.slice(eq + 1)));
}

function isCalendarDate(text: string): boolean {
  const match = DATE.exec(text);
  if (match === null) return false;
  const [y, m, d] = match.slice(1).map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** T when every field is present; undefined when a reader already reported a problem for one. */
function complete<T>(fields: { [K in keyof T]: T[K] | undefined }): T | undefined {
  for (const value of Object.values(fields)) if (value === undefined) return undefined;
  return fields as T;
}

// ---------------------------------------------------------------------------------------------
// Field readers: each reports its own problem and returns undefined for a bad or missing value.

interface StringOptions {
  expected: string;
  fallback?: string;
  valid?: (s: string) => boolean;
  allowEmpty?: boolean;
}

interface NamesOptions {
  what: string;
  expected: string;
  pattern: RegExp;
  minLength?: number;
  maxLength?: number;
}

class Reader {
  readonly problems: string[] = [];

  expect(path: string, expected: string, got: unknown, gotText = describe(got)): void {
    this.problems.push(`${path}: expected ${expected}, got ${gotText}`);
  }

  mapping(value: unknown, path: string, known: readonly string[]): Mapping | undefined {
    if (!isMapping(value)) {
      this.expect(path === '' ? 'policy' : path, 'a mapping of keys to values', value);
      return undefined;
    }
    for (const key of Object.keys(value)) {
      if (known.includes(key)) continue;
      const at = path === '' ? key : `${path}.${key}`;
      const near = closest(key, known);
      this.problems.push(
        near === undefined ? `${at}: unknown key; expected one of ${known.join(', ')}` : `${at}: unknown key; did you mean "${near}"?`,
      );
    }
    return value;
  }

  int(m: Mapping, key: string, path: string, min: number, fallback?: number): number | undefined {
    const value = m[key];
    if (value === undefined && fallback !== undefined) return fallback;
    if (typeof value === 'number' && Number.isSafeInteger(value) && value >= min) return value;
    const hint =
      typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))
        ? `${describe(value)} (a string; write the number without quotes)`
        : describe(value);
    this.expect(join(path, key), `a whole number >= ${min}`, value, hint);
    return undefined;
  }

  /** `"25%"`: a whole percentage from 0 to 100, written with its sign so it cannot pass for a count. */
  percent(m: Mapping, key: string, path: string, fallback: number): number | undefined {
    const value = m[key];
    if (value === undefined) return fallback;
    const match = typeof value === 'string' ? /^(\d{1,3})%$/.exec(value) : null;
    if (match !== null && Number(match[1]) <= 100) return Number(match[1]);
    const hint = typeof value === 'number' ? `${value} (a number; write a percentage like "${value}%")` : describe(value);
    this.expect(join(path, key), 'a percentage from "0%" to "100%", like "25%"', value, hint);
    return undefined;
  }

  bool(m: Mapping, key: string, path: string, fallback: boolean): boolean | undefined {
    const value = m[key];
    if (value === undefined) return fallback;
    if (typeof value === 'boolean') return value;
    this.expect(join(path, key), 'true or false', value);
    return undefined;
  }

  duration(m: Mapping, key: string, path: string, fallback: string): number | undefined {
    const value = m[key] === undefined ? fallback : m[key];
    const ms = typeof value === 'string' ? parseDuration(value) : undefined;
    if (ms !== undefined) return ms;
    const hint = typeof value === 'number' ? `${value} (a number; a duration needs a unit, like "10m")` : describe(value);
    this.expect(join(path, key), DURATION_EXPECTED, value, hint);
    return undefined;
  }

  string(m: Mapping, key: string, path: string, options: StringOptions): string | undefined {
    const value = m[key] === undefined ? options.fallback : m[key];
    if (typeof value === 'string' && (options.allowEmpty === true || value !== '') && (options.valid?.(value) ?? true)) {
      return value;
    }
    this.expect(join(path, key), options.expected, value);
    return undefined;
  }

  list(m: Mapping, key: string, path: string, expected: string, fallback?: readonly unknown[]): unknown[] | undefined {
    const value = m[key] === undefined ? fallback : m[key];
    if (Array.isArray(value)) return value as unknown[];
    this.expect(join(path, key), expected, value);
    return undefined;
  }

  /** A required, non-empty list of distinct names, each matching `pattern`. */
  names(m: Mapping, key: string, path: string, options: NamesOptions): string[] | undefined {
    const at = join(path, key);
    const list = this.list(m, key, path, `a non-empty list of ${options.what}`);
    if (list === undefined) return undefined;
    if (list.length === 0) {
      this.expect(at, `a non-empty list of ${options.what}`, list);
      return undefined;
    }
    const names: string[] = [];
    let failed = false;
    list.forEach((item, i) => {
      const fits =
        typeof item === 'string' &&
        item.length >= (options.minLength ?? 1) &&
        item.length <= (options.maxLength ?? Infinity) &&
        options.pattern.test(item);
      if (!fits) {
        this.expect(`${at}[${i}]`, options.expected, item);
        failed = true;
      } else if (names.includes(item)) {
        this.expect(`${at}[${i}]`, `each name once`, item, `${describe(item)} again`);
        failed = true;
      } else {
        names.push(item);
      }
    });
    return failed ? undefined : names;
  }

  selector(path: string, text: string): LabelSelector | undefined {
    const parsed = parseSelector(text);
    if (parsed.ok) return parsed.selector;
    this.expect(path, 'a label selector like "app=web,tier in (a,b)"', text, `${describe(text)} (${parsed.error})`);
    return undefined;
  }
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function isMapping(value: unknown): value is Mapping {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : 'a list';
  if (value instanceof Date) return `a date (${value.toISOString().slice(0, 10)}; quote it)`;
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}

/** The known key a typo most likely meant: case-insensitive edit distance, scaled to the key's length. */
function closest(key: string, known: readonly string[]): string | undefined {
  const limit = Math.max(1, Math.min(3, Math.floor(key.length / 3)));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (d <= limit && d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
