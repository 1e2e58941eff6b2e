// The traffic a simulation replays: the MDM request rate over time and the BG job arrivals (each
// with its duration), plus the daily batch Job. Generated for a seed with the seed system's B2B shape
// (busy weekday daytime with a morning surge, quiet nights, weekends and holidays, occasional
// spikes), or read from a person's CSV.
//
// CSV format (`--trace file`): a header line `time,mdm_rps,bg_jobs`, then one row per interval:
//   time     RFC 3339 time (with offset, e.g. 2026-11-23T09:00:00+09:00) of the interval's start;
//   mdm_rps  MDM requests per second during the interval (≥ 0);
//   bg_jobs  BG jobs arriving during the interval (integer ≥ 0), spread evenly over it, each with a
//            duration drawn from the reference mix (seeded).
// Rows must be in time order; each interval lasts until the next row (the last one as long as the
// one before it). Blank lines and lines starting with `#` are ignored.

import { localClock } from '../../core/schedule';
import { SeededRandom } from '../model/random';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export interface JobArrival {
  at: number;
  durationMs: number;
}

export interface Traffic {
  start: number;
  end: number;
  /** Request rate sample spacing. */
  stepMs: number;
  /** MDM requests per second, one per step from `start`. */
  mdmRps: Float64Array;
  /** BG jobs in arrival order. */
  jobs: JobArrival[];
  /** Daily batch Job starts (each runs `batchRunMs`). */
  batchStarts: number[];
  batchRunMs: number;
}

export interface TrafficOptions {
  /** Simulated start (epoch ms); default Monday 2026-11-23 00:00 Asia/Tokyo (Labor Thanksgiving Day). */
  start?: number;
  days?: number;
  seed?: number;
  stepMs?: number;
  timezone?: string;
  /** Local dates as quiet as a Sunday; default the week's Japanese holiday, 2026-11-23. */
  holidays?: ReadonlySet<string>;
  /** Weekday daytime request rate (rps); scales the whole MDM curve. Default 650 (a peak of about 55 user nodes). */
  peakRps?: number;
  /** BG jobs per hour at weekday daytime. Default 240. */
  jobsPerHour?: number;
  /** Local minute of the day the batch Job starts; default 22:00. */
  batchAtMinute?: number;
  batchRunMs?: number;
}

export const REFERENCE_START = Date.parse('2026-11-23T00:00:00+09:00');
export const REFERENCE_HOLIDAYS: ReadonlySet<string> = new Set(['2026-11-23']);

/** A workday's shape, 0..1.6 of the daytime rate, by local minute. */
function workdayShape(minute: number): number {
  const h = minute / 60;
  if (h < 6) return 0.05;
  if (h < 7.5) return 0.05 + ((h - 6) / 1.5) * 0.45;
  if (h < 9.5) return 1.6 - Math.abs(h - 8.5) * 0.4; // the morning surge: devices check in as people arrive
  if (h < 12) return 1.0;
  if (h < 13) return 0.8; // lunch
  if (h < 18) return 1.0;
  if (h < 21) return 1.0 - ((h - 18) / 3) * 0.85;
  return 0.15 - ((h - 21) / 3) * 0.1;
}

/** Weekends and holidays: a fraction of a workday, later and flatter. */
function quietShape(minute: number): number {
  const h = minute / 60;
  if (h < 8) return 0.04;
  if (h < 20) return 0.12;
  return 0.06;
}

/** The reference mix of BG job durations: mostly short, a heavy tail to over 10 hours. */
export function jobDuration(random: SeededRandom): number {
  const r = random.next();
  if (r < 0.55) return 200 + random.next() * 800; // under a second
  if (r < 0.85) return 5_000 + random.next() * 55_000; // seconds to a minute
  if (r < 0.97) return 2 * MINUTE + random.next() * 28 * MINUTE; // minutes
  if (r < 0.995) return HOUR + random.next() * 3 * HOUR; // hours
  return 10 * HOUR + random.next() * 2 * HOUR; // over 10 hours (a tenant-wide export)
}

/** localClock, computed once per UTC hour (Intl is slow) and moved on by the minutes inside it. */
function hourlyClock(timezone: string, holidays: ReadonlySet<string>): (t: number) => { weekday: number; minute: number } {
  let hour = NaN;
  let base = { weekday: 0, minute: 0 };
  return (t) => {
    const h = Math.floor(t / HOUR);
    if (h !== hour) {
      hour = h;
      base = localClock(h * HOUR, timezone, holidays);
    }
    return { weekday: base.weekday, minute: base.minute + Math.floor((t - h * HOUR) / MINUTE) };
  };
}

export function referenceTraffic(options: TrafficOptions = {}): Traffic {
  const start = options.start ?? REFERENCE_START;
  const days = options.days ?? 7;
  const stepMs = options.stepMs ?? 30_000;
  const timezone = options.timezone ?? 'Asia/Tokyo';
  const holidays = options.holidays ?? REFERENCE_HOLIDAYS;
  const peakRps = options.peakRps ?? 650;
  const jobsPerHour = options.jobsPerHour ?? 240;
  const random = new SeededRandom(options.seed ?? 1);
  const end = start + days * DAY;
  const steps = Math.ceil((end - start) / stepMs);
  const mdmRps = new Float64Array(steps);
  const jobs: JobArrival[] = [];
  const batchStarts: number[] = [];
  const batchAtMinute = options.batchAtMinute ?? 22 * 60;

  // Occasional spikes: about one a day, 10–40 minutes, 1.3–2× the rate.
  const spikes: { from: number; to: number; factor: number }[] = [];
  for (let d = 0; d < days; d++) {
    if (random.next() < 0.7) {
      const from = start + d * DAY + (7 + random.next() * 12) * HOUR;
      spikes.push({ from, to: from + (10 + random.next() * 30) * MINUTE, factor: 1.3 + random.next() * 0.7 });
    }
  }

  let noise = 1;
  let lastMinuteOfDay = -1;
  const clockAt = hourlyClock(timezone, holidays);
  for (let i = 0; i < steps; i++) {
    const t = start + i * stepMs;
    const clock = clockAt(t);
    const quiet = clock.weekday === 0 || clock.weekday === 6;
    const shape = quiet ? quietShape(clock.minute) : workdayShape(clock.minute);
    // Noise drifts every 5 minutes, smoothed.
    if (i % Math.max(1, Math.round((5 * MINUTE) / stepMs)) === 0) noise = 0.8 * noise + 0.2 * (0.85 + random.next() * 0.3);
    let factor = noise;
    for (const s of spikes) if (t >= s.from && t < s.to) factor *= s.factor;
    mdmRps[i] = peakRps * shape * factor;

    // BG arrivals follow the business rhythm too (with a floor of scheduled jobs at night).
    const rate = (jobsPerHour * Math.max(0.08, Math.min(1.2, shape)) * stepMs) / HOUR;
    let arrivals = Math.floor(rate);
    if (random.next() < rate - arrivals) arrivals++;
    for (let k = 0; k < arrivals; k++)
      jobs.push({ at: t + Math.floor(random.next() * stepMs), durationMs: Math.round(jobDuration(random)) });

    if (clock.minute !== lastMinuteOfDay && clock.minute === batchAtMinute) batchStarts.push(t);
    lastMinuteOfDay = clock.minute;
  }
  jobs.sort((a, b) => a.at - b.at);
  return { start, end, stepMs, mdmRps, jobs, batchStarts, batchRunMs: options.batchRunMs ?? 20 * HOUR };
}

export class TraceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TraceError';
  }
}

/**
 * Parses a trace CSV (see the top of this file) into Traffic: the rate resampled at `stepMs`, job
 * arrivals spread over their intervals with durations from the reference mix. Batch Jobs at 22:00
 * local each day, as the reference week.
 */
export function parseTraceCsv(
  text: string,
  source: string,
  options: { seed?: number; stepMs?: number; timezone?: string; days?: number } = {},
): Traffic {
  const stepMs = options.stepMs ?? 30_000;
  const random = new SeededRandom(options.seed ?? 1);
  const rows: { at: number; rps: number; jobs: number }[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  let header = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    const cells = line.split(',').map((c) => c.trim());
    if (!header) {
      if (cells.join(',').toLowerCase() !== 'time,mdm_rps,bg_jobs') {
        throw new TraceError(`${source}:${i + 1}: expected the header "time,mdm_rps,bg_jobs", got "${line}"`);
      }
      header = true;
      continue;
    }
    if (cells.length !== 3) throw new TraceError(`${source}:${i + 1}: expected 3 columns (time,mdm_rps,bg_jobs), got ${cells.length}`);
    const [timeText, rpsText, jobsText] = cells as [string, string, string];
    const at = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/.test(timeText) ? Date.parse(timeText) : NaN;
    if (!Number.isFinite(at)) throw new TraceError(`${source}:${i + 1}: time: expected an RFC 3339 time with an offset, got "${timeText}"`);
    const rps = rpsText === '' ? NaN : Number(rpsText);
    if (!Number.isFinite(rps) || rps < 0) throw new TraceError(`${source}:${i + 1}: mdm_rps: expected a number ≥ 0, got "${rpsText}"`);
    const jobs = jobsText === '' ? NaN : Number(jobsText);
    if (!Number.isInteger(jobs) || jobs < 0)
      throw new TraceError(`${source}:${i + 1}: bg_jobs: expected an integer ≥ 0, got "${jobsText}"`);
    const previous = rows[rows.length - 1];
    if (previous !== undefined && at <= previous.at)
      throw new TraceError(`${source}:${i + 1}: time ${timeText} is not after the previous row's`);
    rows.push({ at, rps, jobs });
  }
  if (!header) throw new TraceError(`${source}: empty trace; expected the header "time,mdm_rps,bg_jobs" and rows`);
  if (rows.length < 2) throw new TraceError(`${source}: expected at least 2 rows, got ${rows.length}`);
  const first = rows[0]!;
  const lastRow = rows[rows.length - 1]!;
  const lastSpan = lastRow.at - rows[rows.length - 2]!.at;
  const start = first.at;
  let end = lastRow.at + lastSpan;
  if (options.days !== undefined) end = Math.min(end, start + options.days * DAY);
  const steps = Math.ceil((end - start) / stepMs);
  const mdmRps = new Float64Array(steps);
  let r = 0;
  for (let i = 0; i < steps; i++) {
    const t = start + i * stepMs;
    while (r + 1 < rows.length && rows[r + 1]!.at <= t) r++;
    mdmRps[i] = rows[r]!.rps;
  }
  const jobs: JobArrival[] = [];
  for (let k = 0; k < rows.length; k++) {
    const row = rows[k]!;
    const span = (rows[k + 1]?.at ?? row.at + lastSpan) - row.at;
    for (let j = 0; j < row.jobs; j++) {
      const at = row.at + Math.floor(((j + 0.5) * span) / row.jobs);
      if (at < end) jobs.push({ at, durationMs: Math.round(jobDuration(random)) });
    }
  }
  const timezone = options.timezone ?? 'Asia/Tokyo';
  const batchStarts: number[] = [];
  let lastMinute = -1;
  const clockAt = hourlyClock(timezone, new Set());
  for (let i = 0; i < steps; i++) {
    const t = start + i * stepMs;
    const minute = clockAt(t).minute;
    if (minute === 22 * 60 && lastMinute !== minute) batchStarts.push(t);
    lastMinute = minute;
  }
  return { start, end, stepMs, mdmRps, jobs, batchStarts, batchRunMs: 20 * HOUR };
}
