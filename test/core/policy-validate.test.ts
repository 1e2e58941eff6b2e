import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { Policy, Weekday } from '../../core/policy';
import { validatePolicy } from '../../core/policy-validate';

type Mapping = Record<string, unknown>;

const NODES: Mapping = { pools: ['user'], targetPodsPerNode: 20, minNodes: 2, maxNodes: 12 };
const WORKER: Mapping = { name: 'bg', namespace: 'clomo', deployment: 'bg', queues: ['clomo-jobs'], jobsPerWorker: 4, maxReplicas: 40 };
const DESCHEDULER: Mapping = { podSelector: 'clomo/descheduling=enabled' };

/** A valid document with all three sections, changed as asked; an `undefined` value removes the key. */
function doc(change: { top?: Mapping; nodes?: Mapping; worker?: Mapping; descheduler?: Mapping } = {}): unknown {
  const whole = {
    nodes: { ...NODES, ...change.nodes },
    workers: [{ ...WORKER, ...change.worker }],
    descheduler: { ...DESCHEDULER, ...change.descheduler },
    ...change.top,
  };
  return JSON.parse(JSON.stringify(whole)) as unknown;
}

function errorsOf(raw: unknown): string[] {
  const result = validatePolicy(raw);
  return result.ok ? [] : result.errors;
}

function accepted(raw: unknown): Policy {
  const result = validatePolicy(raw);
  if (!result.ok) throw new Error(`expected the policy to be accepted:\n${result.errors.join('\n')}`);
  return result.policy;
}

const EVERY_DAY = new Set<Weekday>([0, 1, 2, 3, 4, 5, 6]);
const MON_FRI = new Set<Weekday>([1, 2, 3, 4, 5]);

describe('validatePolicy', () => {
  it('accepts policy.example.yaml with exactly the values written', () => {
    const raw: unknown = parse(readFileSync(join(__dirname, '../../policy.example.yaml'), 'utf8'));
    expect(accepted(raw)).toEqual({
      modes: { nodes: 'observe', workers: 'observe', descheduler: 'observe' },
      timezone: 'Asia/Tokyo',
      holidays: new Set(['2026-12-31', '2027-01-01', '2027-01-02', '2027-01-11']),
      nodes: {
        pools: ['user'],
        poolMaxNodes: {},
        targetPodsPerNode: 20,
        minNodes: 2,
        maxNodes: 12,
        schedule: [
          {
            label: 'Mon-Fri 07:30-21:00',
            days: MON_FRI,
            startMinute: 450,
            endMinute: 1260,
            minNodes: 5,
            maxNodes: undefined,
            targetPodsPerNode: undefined,
          },
          {
            label: 'Sat-Sun 09:00-18:00',
            days: new Set<Weekday>([6, 0]),
            startMinute: 540,
            endMinute: 1080,
            minNodes: 3,
            maxNodes: undefined,
            targetPodsPerNode: undefined,
          },
        ],
        protectedNodeLabels: ['clomo/BatchDeployable'],
        scaleDownDelayMs: 600_000,
        maxConcurrentDrains: 1,
        maxEvictionsPerRun: 20,
        maxStopsPerRun: 2,
        startTimeoutMs: 600_000,
        provisionTimeoutMs: 900_000,
        stopTimeoutMs: 600_000,
        protectLocalStorage: false,
        blockingSystemPodTimeoutMs: 3_600_000,
        staysTaint: false,
        prewarm: { mode: 'forecast', leadMs: 600_000 },
      },
      workers: [
        {
          name: 'bg',
          namespace: 'clomo',
          deployment: 'bg',
          queues: ['clomo-jobs', 'clomo-jobs-priority'],
          jobsPerWorker: 4,
          activationMessages: 1,
          minReplicas: 1,
          maxReplicas: 40,
          maxQueueDelayMs: 120_000,
          scaleDownDelayMs: 300_000,
          scaleDownIntervalMs: 1_800_000,
          scaleDownMarginPercent: 50,
          schedule: [
            { label: 'Mon-Fri 08:00-20:00', days: MON_FRI, startMinute: 480, endMinute: 1200, minReplicas: 4, maxReplicas: undefined },
          ],
        },
      ],
      descheduler: {
        podSelectorText: 'clomo/descheduling=enabled',
        podSelector: { requirements: [{ key: 'clomo/descheduling', operator: 'In', values: ['enabled'] }] },
        nodeSelectorText: 'kubernetes.azure.com/agentpool=user',
        nodeSelector: { requirements: [{ key: 'kubernetes.azure.com/agentpool', operator: 'In', values: ['user'] }] },
        balanceBy: 'memory',
        maxEvictionsPerRun: 5,
        minPodAgeMs: 900_000,
        workloadCooldownMs: 1_800_000,
        staysRoom: true,
      },
    } satisfies Policy);
  });

  it('reads a holiday given with its name, beside plain dates', () => {
    const policy = accepted({
      holidays: ['2026-12-31', { date: '2026-11-23', name: '勤労感謝の日 (Labour Thanksgiving Day)' }, { date: '2027-01-11' }],
      nodes: { pools: ['user'], targetPodsPerNode: 20, maxNodes: 3 },
    });
    expect(policy.holidays).toEqual(new Set(['2026-12-31', '2026-11-23', '2027-01-11']));
    expect(policy.holidayNames).toEqual(new Map([['2026-11-23', '勤労感謝の日 (Labour Thanksgiving Day)']]));
  });

  it('fills every default in a minimal policy', () => {
    const policy = accepted({
      nodes: { pools: ['user'], targetPodsPerNode: 20, maxNodes: 3 },
      workers: [{ name: 'bg', namespace: 'clomo', deployment: 'bg', queues: ['jobs'], jobsPerWorker: 1, maxReplicas: 5 }],
      descheduler: { podSelector: 'opt-in' },
    });
    expect(policy.timezone).toBe('Asia/Tokyo');
    expect(policy.modes).toEqual({ nodes: 'observe', workers: 'observe', descheduler: 'observe' });
    expect(policy.nodes!.poolMaxNodes).toEqual({});
    expect(policy.workers[0]!.activationMessages).toBe(1);
    expect(policy.holidays).toEqual(new Set());
    expect(policy.nodes).toEqual({
      pools: ['user'],
      poolMaxNodes: {},
      targetPodsPerNode: 20,
      minNodes: 0,
      maxNodes: 3,
      schedule: [],
      protectedNodeLabels: ['clomo/BatchDeployable'],
      scaleDownDelayMs: 600_000,
      maxConcurrentDrains: 1,
      maxEvictionsPerRun: 20,
      maxStopsPerRun: 2,
      startTimeoutMs: 600_000,
      provisionTimeoutMs: 900_000,
      stopTimeoutMs: 600_000,
      protectLocalStorage: false,
      blockingSystemPodTimeoutMs: 3_600_000,
      staysTaint: false,
      prewarm: { mode: 'forecast', leadMs: 600_000 },
    });
    expect(policy.workers[0]).toMatchObject({ minReplicas: 0, maxQueueDelayMs: 120_000, scaleDownDelayMs: 300_000, schedule: [] });
    expect(policy.workers[0]).toMatchObject({ scaleDownIntervalMs: 1_800_000, scaleDownMarginPercent: 50 });
    expect(policy.descheduler).toMatchObject({
      nodeSelectorText: '',
      nodeSelector: { requirements: [] },
      balanceBy: 'memory',
      maxEvictionsPerRun: 5,
      minPodAgeMs: 900_000,
      workloadCooldownMs: 1_800_000,
    });
  });

  it.each([
    ['only nodes', { nodes: NODES }, { nodes: true, workers: 0, descheduler: false }],
    ['only workers', { workers: [WORKER] }, { nodes: false, workers: 1, descheduler: false }],
    ['only the descheduler', { descheduler: DESCHEDULER }, { nodes: false, workers: 0, descheduler: true }],
  ])('accepts a policy with %s', (_name, raw, sections) => {
    const policy = accepted(raw);
    expect({ nodes: policy.nodes !== undefined, workers: policy.workers.length, descheduler: policy.descheduler !== undefined }).toEqual(
      sections,
    );
  });

  it.each([
    [
      'a window crossing midnight, every day',
      { days: 'daily', hours: '22:00-06:00', minNodes: 3 },
      { label: 'daily 22:00-06:00', days: EVERY_DAY, startMinute: 1320, endMinute: 360, minNodes: 3, maxNodes: undefined },
    ],
    [
      'a window up to 24:00 with both bounds',
      { days: '*', hours: '18:00-24:00', minNodes: 2, maxNodes: 4 },
      { label: '* 18:00-24:00', days: EVERY_DAY, startMinute: 1080, endMinute: 1440, minNodes: 2, maxNodes: 4 },
    ],
    [
      'a night cap of zero above a zero minimum',
      { days: 'Fri-Mon', hours: '00:00-06:00', maxNodes: 2 },
      { label: 'Fri-Mon 00:00-06:00', days: new Set([5, 6, 0, 1]), startMinute: 0, endMinute: 360, minNodes: undefined, maxNodes: 2 },
    ],
  ])('accepts %s', (_name, window, expected) => {
    expect(accepted(doc({ nodes: { schedule: [window] } })).nodes?.schedule).toEqual([expected]);
  });

  it('accepts label selectors with every operator', () => {
    const policy = accepted(doc({ descheduler: { podSelector: 'a=1,b!=2,c in (x,y),d notin (z),e,!f', nodeSelector: 'pool==user' } }));
    expect(policy.descheduler?.podSelector.requirements.map((r) => r.operator)).toEqual([
      'In',
      'NotIn',
      'In',
      'NotIn',
      'Exists',
      'DoesNotExist',
    ]);
  });

  const STORAGE_QUEUE =
    'an Azure Storage queue name (3-63 characters: lowercase letters, digits and single hyphens, starting and ending with a letter or digit)';

  it.each<[string, unknown, string | RegExp]>([
    ['a document that is a list', [], 'policy: expected a mapping of keys to values, got an empty list'],
    ['a document that is null', null, 'policy: expected a mapping of keys to values, got null'],
    ['no section at all', { timezone: 'Asia/Tokyo' }, 'policy: expected at least one of nodes, workers or descheduler, got none of them'],
    ['only an empty workers list', { workers: [] }, 'policy: expected at least one of nodes, workers or descheduler, got none of them'],
    [
      'an unknown time zone',
      doc({ top: { timezone: 'Tokyo' } }),
      'timezone: expected an IANA time zone such as "Asia/Tokyo" or "Europe/Berlin", got "Tokyo"',
    ],
    [
      'a time zone written as an offset',
      doc({ top: { timezone: '+09:00' } }),
      'timezone: expected an IANA time zone such as "Asia/Tokyo" or "Europe/Berlin", got "+09:00"',
    ],
    [
      'holidays that are not a list',
      doc({ top: { holidays: '2027-01-01' } }),
      'holidays: expected a list of dates "YYYY-MM-DD" (or { date, name }), got "2027-01-01"',
    ],
    [
      'a holiday without leading zeros',
      doc({ top: { holidays: ['2027-01-01', '2027-1-11'] } }),
      'holidays[1]: expected a date as "YYYY-MM-DD", got "2027-1-11"',
    ],
    [
      'a named holiday whose date is not a date',
      doc({ top: { holidays: [{ date: '23 Nov', name: 'Labour Thanksgiving Day' }] } }),
      'holidays[0].date: expected a date as "YYYY-MM-DD", got "23 Nov"',
    ],
    [
      'a named holiday with a key of another name',
      doc({ top: { holidays: [{ date: '2026-11-23', title: 'Labour Thanksgiving Day' }] } }),
      'holidays[0].title: unknown key; expected one of date, name',
    ],
    [
      'a holiday that is not a calendar date',
      doc({ top: { holidays: ['2027-02-30'] } }),
      'holidays[0]: expected a date as "YYYY-MM-DD", got "2027-02-30"',
    ],
    ['nodes left empty', doc({ top: { nodes: null } }), 'nodes: expected a mapping of keys to values, got null'],
    ['no pools', doc({ nodes: { pools: undefined } }), 'nodes.pools: expected a non-empty list of agent pool names, got nothing'],
    ['an empty pool list', doc({ nodes: { pools: [] } }), 'nodes.pools: expected a non-empty list of agent pool names, got an empty list'],
    [
      'a pool written as a string',
      doc({ nodes: { pools: 'user' } }),
      'nodes.pools: expected a non-empty list of agent pool names, got "user"',
    ],
    [
      'an invalid pool name',
      doc({ nodes: { pools: ['User'] } }),
      'nodes.pools[0]: expected an AKS agent pool name (lowercase letters and digits, starting with a letter, at most 12 characters), got "User"',
    ],
    ['a pool listed twice', doc({ nodes: { pools: ['user', 'user'] } }), 'nodes.pools[1]: expected each name once, got "user" again'],
    [
      'no targetPodsPerNode',
      doc({ nodes: { targetPodsPerNode: undefined } }),
      'nodes.targetPodsPerNode: expected a whole number >= 1, got nothing',
    ],
    ['a zero targetPodsPerNode', doc({ nodes: { targetPodsPerNode: 0 } }), 'nodes.targetPodsPerNode: expected a whole number >= 1, got 0'],
    ['a negative minNodes', doc({ nodes: { minNodes: -1 } }), 'nodes.minNodes: expected a whole number >= 0, got -1'],
    ['a fractional minNodes', doc({ nodes: { minNodes: 2.5 } }), 'nodes.minNodes: expected a whole number >= 0, got 2.5'],
    [
      'a quoted minNodes',
      doc({ nodes: { minNodes: '5' } }),
      'nodes.minNodes: expected a whole number >= 0, got "5" (a string; write the number without quotes)',
    ],
    ['a null minNodes', doc({ nodes: { minNodes: null } }), 'nodes.minNodes: expected a whole number >= 0, got null'],
    ['no maxNodes', doc({ nodes: { maxNodes: undefined } }), 'nodes.maxNodes: expected a whole number >= 1, got nothing'],
    ['minNodes above maxNodes', doc({ nodes: { minNodes: 13 } }), 'nodes.minNodes: expected at most nodes.maxNodes (12), got 13'],
    [
      'a zero maxConcurrentDrains',
      doc({ nodes: { maxConcurrentDrains: 0 } }),
      'nodes.maxConcurrentDrains: expected a whole number >= 1, got 0',
    ],
    [
      'a zero maxEvictionsPerRun',
      doc({ nodes: { maxEvictionsPerRun: 0 } }),
      'nodes.maxEvictionsPerRun: expected a whole number >= 1, got 0',
    ],
    ['a zero maxStopsPerRun', doc({ nodes: { maxStopsPerRun: 0 } }), 'nodes.maxStopsPerRun: expected a whole number >= 1, got 0'],
    [
      'a duration in words',
      doc({ nodes: { scaleDownDelay: '10 minutes' } }),
      'nodes.scaleDownDelay: expected a duration like 30s, 10m or 20h, got "10 minutes"',
    ],
    [
      'a duration without a unit',
      doc({ nodes: { startTimeout: 600 } }),
      'nodes.startTimeout: expected a duration like 30s, 10m or 20h, got 600 (a number; a duration needs a unit, like "10m")',
    ],
    [
      'a negative duration',
      doc({ nodes: { provisionTimeout: '-5m' } }),
      'nodes.provisionTimeout: expected a duration like 30s, 10m or 20h, got "-5m"',
    ],
    ['a null duration', doc({ nodes: { stopTimeout: null } }), 'nodes.stopTimeout: expected a duration like 30s, 10m or 20h, got null'],
    ['a quoted boolean', doc({ nodes: { protectLocalStorage: 'yes' } }), 'nodes.protectLocalStorage: expected true or false, got "yes"'],
    ['a stays taint given as a word', doc({ nodes: { staysTaint: 'on' } }), 'nodes.staysTaint: expected true or false, got "on"'],
    [
      'protected labels that are not a list',
      doc({ nodes: { protectedNodeLabels: 'clomo/BatchDeployable' } }),
      'nodes.protectedNodeLabels: expected a list of labels "key" or "key=value", got "clomo/BatchDeployable"',
    ],
    [
      'a protected label with a space',
      doc({ nodes: { protectedNodeLabels: ['clomo/Batch Deployable'] } }),
      /^nodes\.protectedNodeLabels\[0\]: expected a label "key" or "key=value", got "clomo\/Batch Deployable" \(.*name must consist.*\)$/,
    ],
    [
      'a protected label with a bad value',
      doc({ nodes: { protectedNodeLabels: ['tier=a b'] } }),
      /^nodes\.protectedNodeLabels\[0\]: expected a label "key" or "key=value", got "tier=a b" \(label value "a b".*\)$/,
    ],
    [
      'a protected label that is a number',
      doc({ nodes: { protectedNodeLabels: [5] } }),
      'nodes.protectedNodeLabels[0]: expected a label "key" or "key=value", got 5',
    ],
    [
      'a schedule that is not a list',
      doc({ nodes: { schedule: { days: 'Mon', hours: '08:00-09:00', minNodes: 3 } } }),
      'nodes.schedule: expected a list of windows { days, hours, minNodes, maxNodes, targetPodsPerNode }, got a mapping',
    ],
    [
      'a window that is not a mapping',
      doc({ nodes: { schedule: ['Mon-Fri 08:00-09:00'] } }),
      'nodes.schedule[0]: expected a mapping of keys to values, got "Mon-Fri 08:00-09:00"',
    ],
    [
      'an hour past 24',
      doc({
        nodes: {
          schedule: [
            { days: 'Mon', hours: '08:00-09:00', minNodes: 3 },
            { days: 'Mon', hours: '25:00-06:00', minNodes: 3 },
          ],
        },
      }),
      'nodes.schedule[1].hours: expected "HH:MM-HH:MM", got "25:00-06:00"',
    ],
    [
      '24:00 as a start',
      doc({ nodes: { schedule: [{ days: 'Mon', hours: '24:00-06:00', minNodes: 3 }] } }),
      'nodes.schedule[0].hours: expected "HH:MM-HH:MM", got "24:00-06:00"',
    ],
    [
      'hours written as a number',
      doc({ nodes: { schedule: [{ days: 'Mon', hours: 8, minNodes: 3 }] } }),
      'nodes.schedule[0].hours: expected "HH:MM-HH:MM", got 8',
    ],
    [
      'an empty window',
      doc({ nodes: { schedule: [{ days: 'Mon', hours: '08:00-08:00', minNodes: 3 }] } }),
      'nodes.schedule[0].hours: expected a window of at least one minute (start and end differ), got "08:00-08:00"',
    ],
    [
      'unknown days',
      doc({ nodes: { schedule: [{ days: 'Weekdays', hours: '08:00-09:00', minNodes: 3 }] } }),
      'nodes.schedule[0].days: expected days like "Mon-Fri", "Sat,Sun", "Fri-Mon" or "daily", got "Weekdays"',
    ],
    [
      'a window without days',
      doc({ nodes: { schedule: [{ hours: '08:00-09:00', minNodes: 3 }] } }),
      'nodes.schedule[0].days: expected days like "Mon-Fri", "Sat,Sun", "Fri-Mon" or "daily", got nothing',
    ],
    [
      'a window that raises targetPodsPerNode',
      doc({ nodes: { schedule: [{ days: 'Mon-Fri', hours: '07:00-10:00', targetPodsPerNode: 25 }] } }),
      'nodes.schedule[0].targetPodsPerNode: expected at most nodes.targetPodsPerNode (20), since a window can only widen the margin, got 25',
    ],
    [
      'a window without bounds',
      doc({ nodes: { schedule: [{ days: 'Mon', hours: '08:00-09:00' }] } }),
      'nodes.schedule[0]: expected minNodes, maxNodes or targetPodsPerNode, got none of them',
    ],
    [
      'a window minimum below the policy minimum',
      doc({ nodes: { schedule: [{ days: 'Mon', hours: '08:00-09:00', minNodes: 1 }] } }),
      'nodes.schedule[0].minNodes: expected at least nodes.minNodes (2), since a window can only raise the minimum, got 1',
    ],
    [
      'a window minimum above maxNodes',
      doc({ nodes: { schedule: [{ days: 'Mon', hours: '08:00-09:00', minNodes: 13 }] } }),
      'nodes.schedule[0].minNodes: expected at most nodes.maxNodes (12), got 13',
    ],
    [
      'a window maximum above maxNodes',
      doc({ nodes: { schedule: [{ days: 'Mon', hours: '08:00-09:00', maxNodes: 20 }] } }),
      'nodes.schedule[0].maxNodes: expected at most nodes.maxNodes (12), since a window can only lower the maximum, got 20',
    ],
    [
      'a window maximum below the policy minimum',
      doc({ nodes: { schedule: [{ days: 'Mon', hours: '08:00-09:00', maxNodes: 1 }] } }),
      'nodes.schedule[0].maxNodes: expected at least nodes.minNodes (2), got 1',
    ],
    [
      'a window minimum above its own maximum',
      doc({ nodes: { schedule: [{ days: 'Mon', hours: '08:00-09:00', minNodes: 6, maxNodes: 4 }] } }),
      "nodes.schedule[0].minNodes: expected at most this window's maxNodes (4), got 6",
    ],
    [
      'a quoted window bound',
      doc({ nodes: { schedule: [{ days: 'Mon', hours: '08:00-09:00', minNodes: '3' }] } }),
      'nodes.schedule[0].minNodes: expected a whole number >= 0, got "3" (a string; write the number without quotes)',
    ],
    ['workers that are not a list', doc({ top: { workers: WORKER } }), 'workers: expected a list of worker deployments, got a mapping'],
    ['a worker that is not a mapping', doc({ top: { workers: ['bg'] } }), 'workers[0]: expected a mapping of keys to values, got "bg"'],
    [
      'a worker without a name',
      doc({ worker: { name: undefined } }),
      'workers[0].name: expected a DNS label (lowercase letters, digits and "-", at most 63 characters), got nothing',
    ],
    [
      'an upper-case worker name',
      doc({ worker: { name: 'BG' } }),
      'workers[0].name: expected a DNS label (lowercase letters, digits and "-", at most 63 characters), got "BG"',
    ],
    [
      'two workers with one name',
      doc({ top: { workers: [WORKER, { ...WORKER, deployment: 'bg2' }] } }),
      'workers[1].name: expected a name not used by another worker (workers[0] is also "bg"), got "bg"',
    ],
    [
      'an invalid namespace',
      doc({ worker: { namespace: 'Clomo' } }),
      'workers[0].namespace: expected a Kubernetes namespace (lowercase letters, digits and "-", at most 63 characters), got "Clomo"',
    ],
    [
      'no deployment',
      doc({ worker: { deployment: '' } }),
      'workers[0].deployment: expected a Deployment name (lowercase letters, digits, "-" and ".", at most 253 characters), got ""',
    ],
    ['no queues', doc({ worker: { queues: [] } }), 'workers[0].queues: expected a non-empty list of queue names, got an empty list'],
    [
      'a queue name with capitals and underscores',
      doc({ worker: { queues: ['Clomo_Jobs'] } }),
      `workers[0].queues[0]: expected ${STORAGE_QUEUE}, got "Clomo_Jobs"`,
    ],
    ['a queue name of two characters', doc({ worker: { queues: ['ab'] } }), `workers[0].queues[0]: expected ${STORAGE_QUEUE}, got "ab"`],
    [
      'a queue name of 64 characters',
      doc({ worker: { queues: ['q'.repeat(64)] } }),
      `workers[0].queues[0]: expected ${STORAGE_QUEUE}, got "${'q'.repeat(64)}"`,
    ],
    [
      'a queue name with a double hyphen',
      doc({ worker: { queues: ['clomo--jobs'] } }),
      `workers[0].queues[0]: expected ${STORAGE_QUEUE}, got "clomo--jobs"`,
    ],
    [
      'a queue name starting with a hyphen',
      doc({ worker: { queues: ['-jobs'] } }),
      `workers[0].queues[0]: expected ${STORAGE_QUEUE}, got "-jobs"`,
    ],
    [
      'a queue name ending with a hyphen',
      doc({ worker: { queues: ['jobs-'] } }),
      `workers[0].queues[0]: expected ${STORAGE_QUEUE}, got "jobs-"`,
    ],
    [
      'a queue listed twice',
      doc({ worker: { queues: ['jobs', 'jobs'] } }),
      'workers[0].queues[1]: expected each name once, got "jobs" again',
    ],
    ['a zero jobsPerWorker', doc({ worker: { jobsPerWorker: 0 } }), 'workers[0].jobsPerWorker: expected a whole number >= 1, got 0'],
    [
      'minReplicas above maxReplicas',
      doc({ worker: { minReplicas: 50 } }),
      'workers[0].minReplicas: expected at most workers[0].maxReplicas (40), got 50',
    ],
    ['a zero maxReplicas', doc({ worker: { maxReplicas: 0 } }), 'workers[0].maxReplicas: expected a whole number >= 1, got 0'],
    [
      'a queue delay in words',
      doc({ worker: { maxQueueDelay: '2 min' } }),
      'workers[0].maxQueueDelay: expected a duration like 30s, 10m or 20h, got "2 min"',
    ],
    [
      'a worker window maximum above maxReplicas',
      doc({ worker: { schedule: [{ days: 'Mon-Fri', hours: '08:00-20:00', maxReplicas: 50 }] } }),
      'workers[0].schedule[0].maxReplicas: expected at most workers[0].maxReplicas (40), since a window can only lower the maximum, got 50',
    ],
    [
      'a worker window without bounds',
      doc({ worker: { schedule: [{ days: 'Mon-Fri', hours: '08:00-20:00' }] } }),
      'workers[0].schedule[0]: expected minReplicas or maxReplicas (or both), got neither',
    ],
    [
      'no podSelector',
      doc({ descheduler: { podSelector: undefined } }),
      'descheduler.podSelector: expected a label selector like "clomo/descheduling=enabled", got nothing',
    ],
    [
      'an empty podSelector',
      doc({ descheduler: { podSelector: '' } }),
      'descheduler.podSelector: expected a non-empty label selector (an empty one would opt every pod in), got ""',
    ],
    [
      'a blank podSelector',
      doc({ descheduler: { podSelector: '  ' } }),
      'descheduler.podSelector: expected a non-empty label selector (an empty one would opt every pod in), got "  "',
    ],
    [
      'a podSelector that does not parse',
      doc({ descheduler: { podSelector: 'app in (' } }),
      /^descheduler\.podSelector: expected a label selector like "app=web,tier in \(a,b\)", got "app in \(" \(.+\)$/,
    ],
    [
      'a nodeSelector that does not parse',
      doc({ descheduler: { nodeSelector: 'pool=user=x' } }),
      /^descheduler\.nodeSelector: expected a label selector like "app=web,tier in \(a,b\)", got "pool=user=x" \(.+\)$/,
    ],
    [
      'a nodeSelector that is not a string',
      doc({ descheduler: { nodeSelector: { pool: 'user' } } }),
      'descheduler.nodeSelector: expected a label selector like "kubernetes.azure.com/agentpool=user", or "" for all nodes, got a mapping',
    ],
    [
      'an unknown balance measure',
      doc({ descheduler: { balanceBy: 'cpu' } }),
      'descheduler.balanceBy: expected "memory" or "count", got "cpu"',
    ],
    [
      'a zero descheduler maxEvictionsPerRun',
      doc({ descheduler: { maxEvictionsPerRun: 0 } }),
      'descheduler.maxEvictionsPerRun: expected a whole number >= 1, got 0',
    ],
    [
      'a minPodAge without a unit',
      doc({ descheduler: { minPodAge: '15' } }),
      'descheduler.minPodAge: expected a duration like 30s, 10m or 20h, got "15"',
    ],
    [
      'a workloadCooldown in hours and words',
      doc({ descheduler: { workloadCooldown: 'half an hour' } }),
      'descheduler.workloadCooldown: expected a duration like 30s, 10m or 20h, got "half an hour"',
    ],
  ])('reports %s', (_name, raw, expected) => {
    const errors = errorsOf(raw);
    expect(errors).toHaveLength(1);
    if (typeof expected === 'string') expect(errors[0]).toBe(expected);
    else expect(errors[0]).toMatch(expected);
  });

  it.each([
    ['a top-level key in the wrong case', doc({ top: { timeZone: 'Asia/Tokyo' } }), 'timeZone: unknown key; did you mean "timezone"?'],
    ['a singular section name', { node: NODES }, 'node: unknown key; did you mean "nodes"?'],
    [
      'a missing letter',
      doc({ nodes: { targetPodsPerNode: 20, targetPodPerNode: 20 } }),
      'nodes.targetPodPerNode: unknown key; did you mean "targetPodsPerNode"?',
    ],
    [
      'a worker key in the wrong case',
      doc({ worker: { jobsperworker: 4 } }),
      'workers[0].jobsperworker: unknown key; did you mean "jobsPerWorker"?',
    ],
    [
      'a window key typo',
      doc({ nodes: { schedule: [{ days: 'Mon', hours: '08:00-09:00', maxNodes: 12, minNode: 3 }] } }),
      'nodes.schedule[0].minNode: unknown key; did you mean "minNodes"?',
    ],
    [
      'a descheduler key in the wrong case',
      doc({ descheduler: { podSelector: 'a', podselector: 'a' } }),
      'descheduler.podselector: unknown key; did you mean "podSelector"?',
    ],
    [
      'a key near nothing',
      doc({ descheduler: { colour: 'blue' } }),
      'descheduler.colour: unknown key; expected one of podSelector, nodeSelector, balanceBy, maxEvictionsPerRun, minPodAge, workloadCooldown, staysRoom',
    ],
    [
      'a key from another section',
      doc({ worker: { replicas: 3 } }),
      'workers[0].replicas: unknown key; expected one of name, namespace, deployment, queues, jobsPerWorker, activationMessages, minReplicas, maxReplicas, maxQueueDelay, scaleDownDelay, scaleDownInterval, scaleDownMargin, schedule',
    ],
  ])('reports an unknown key: %s', (_name, raw, expected) => {
    // The singular-section case also lacks any section, which is a second, separate error.
    expect(errorsOf(raw)[0]).toBe(expected);
  });

  it.each([
    [
      'a mode per scaler',
      { modes: { nodes: 'act', workers: 'observe', descheduler: 'off' } },
      { nodes: 'act', workers: 'observe', descheduler: 'off' },
    ],
    ['a scaler not named observes', { modes: { workers: 'act' } }, { nodes: 'observe', workers: 'act', descheduler: 'observe' }],
    ['no modes at all: every scaler observes', {}, { nodes: 'observe', workers: 'observe', descheduler: 'observe' }],
  ])('reads modes: %s', (_name, extra, expected) => {
    expect(accepted(doc({ top: extra })).modes).toEqual(expected);
  });

  it.each([
    [
      'an unknown mode',
      doc({ top: { modes: { nodes: 'dry-run' } } }),
      'modes.nodes: expected one of off, observe, act (observe plans and records without acting), got "dry-run"',
    ],
    ['an unknown scaler', doc({ top: { modes: { node: 'act' } } }), 'modes.node: unknown key; did you mean "nodes"?'],
    ['a mode that is not a mapping', doc({ top: { modes: 'act' } }), 'modes: expected a mapping of keys to values, got "act"'],
    [
      'a per-pool maximum for a pool not managed',
      doc({ nodes: { poolMaxNodes: { spare: 3 } } }),
      'nodes.poolMaxNodes.spare: unknown key; expected one of user',
    ],
    [
      'a per-pool maximum of zero',
      doc({ nodes: { poolMaxNodes: { user: 0 } } }),
      'nodes.poolMaxNodes.user: expected a whole number >= 1, got 0',
    ],
    [
      'an activation threshold of zero',
      doc({ worker: { activationMessages: 0 } }),
      'workers[0].activationMessages: expected a whole number >= 1, got 0',
    ],
    [
      'a scale-down margin written as a bare number',
      doc({ worker: { scaleDownMargin: 50 } }),
      'workers[0].scaleDownMargin: expected a percentage from "0%" to "100%", like "25%", got 50 (a number; write a percentage like "50%")',
    ],
    [
      'a scale-down margin above 100%',
      doc({ worker: { scaleDownMargin: '150%' } }),
      'workers[0].scaleDownMargin: expected a percentage from "0%" to "100%", like "25%", got "150%"',
    ],
    [
      'a fractional scale-down margin',
      doc({ worker: { scaleDownMargin: '12.5%' } }),
      'workers[0].scaleDownMargin: expected a percentage from "0%" to "100%", like "25%", got "12.5%"',
    ],
    [
      'a scale-down interval without its unit',
      doc({ worker: { scaleDownInterval: 30 } }),
      'workers[0].scaleDownInterval: expected a duration like 30s, 10m or 20h, got 30 (a number; a duration needs a unit, like "10m")',
    ],
  ])('refuses %s, naming the field', (_name, raw, expected) => {
    expect(errorsOf(raw)).toEqual([expected]);
  });

  it('reads a node window that only lowers targetPodsPerNode', () => {
    const policy = accepted(doc({ nodes: { schedule: [{ days: 'Mon-Fri', hours: '07:00-10:00', targetPodsPerNode: 18 }] } }));
    expect(policy.nodes!.schedule[0]).toMatchObject({
      label: 'Mon-Fri 07:00-10:00',
      minNodes: undefined,
      maxNodes: undefined,
      targetPodsPerNode: 18,
    });
  });

  it('reads a per-pool maximum and an activation threshold', () => {
    const policy = accepted(doc({ nodes: { pools: ['user', 'spare'], poolMaxNodes: { user: 8 } }, worker: { activationMessages: 5 } }));
    expect(policy.nodes!.poolMaxNodes).toEqual({ user: 8 });
    expect(policy.workers[0]!.activationMessages).toBe(5);
  });

  it('reads the scale-down interval and margin, down to none at all', () => {
    expect(accepted(doc({ worker: { scaleDownInterval: '1h', scaleDownMargin: '20%' } })).workers[0]).toMatchObject({
      scaleDownIntervalMs: 3_600_000,
      scaleDownMarginPercent: 20,
    });
    expect(accepted(doc({ worker: { scaleDownInterval: '0s', scaleDownMargin: '0%' } })).workers[0]).toMatchObject({
      scaleDownIntervalMs: 0,
      scaleDownMarginPercent: 0,
    });
  });

  it('reports every problem at once, in document order', () => {
    const raw = {
      timezone: 'Mars/Olympus',
      holidays: ['2027-13-01'],
      nodes: {
        pools: [],
        targetPodsPerNode: 20,
        minNodes: '2',
        maxNodes: 12,
        schedule: [{ days: 'Mon-Fri', hours: '25:00-06:00' }],
        scaleDownDelay: '10 minutes',
        maxNode: 3,
      },
      workers: [WORKER, { ...WORKER, queues: ['Jobs'] }],
      descheduler: { podSelector: '', balanceBy: 'cpu' },
    };
    expect(errorsOf(raw)).toEqual([
      'timezone: expected an IANA time zone such as "Asia/Tokyo" or "Europe/Berlin", got "Mars/Olympus"',
      'holidays[0]: expected a date as "YYYY-MM-DD", got "2027-13-01"',
      'nodes.maxNode: unknown key; did you mean "maxNodes"?',
      'nodes.pools: expected a non-empty list of agent pool names, got an empty list',
      'nodes.minNodes: expected a whole number >= 0, got "2" (a string; write the number without quotes)',
      'nodes.schedule[0].hours: expected "HH:MM-HH:MM", got "25:00-06:00"',
      'nodes.schedule[0]: expected minNodes, maxNodes or targetPodsPerNode, got none of them',
      'nodes.scaleDownDelay: expected a duration like 30s, 10m or 20h, got "10 minutes"',
      'workers[1].name: expected a name not used by another worker (workers[0] is also "bg"), got "bg"',
      `workers[1].queues[0]: expected ${STORAGE_QUEUE}, got "Jobs"`,
      'descheduler.podSelector: expected a non-empty label selector (an empty one would opt every pod in), got ""',
      'descheduler.balanceBy: expected "memory" or "count", got "cpu"',
    ]);
  });
});
