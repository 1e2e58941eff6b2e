// How many workers the queues call for now: their depth (Azure's approximate count includes the
// messages being worked on, so busy workers are never counted away), more when the oldest message
// waited too long, within the effective bounds. The reason names the term that decided.

import type { Bounds } from '../bounds';
import { formatDuration } from '../duration';
import { plural } from '../planner';
import type { WorkerPolicy } from '../policy';

export interface QueueFigures {
  messages: number;
  oldestAgeSeconds: number | undefined;
}

export interface WorkerNeed {
  desired: number;
  /** "desired N workers: …", for reasons. */
  why: string;
}

export function workerNeed(
  worker: WorkerPolicy,
  queue: QueueFigures,
  replicas: { current: number; ready: number },
  bounds: Bounds,
): WorkerNeed {
  const { messages, oldestAgeSeconds: oldest } = queue;
  const { current } = replicas;
  // From zero, the first worker starts only at `activationMessages`; once one runs, any message keeps it.
  const dormant = current === 0 && messages < worker.activationMessages;
  const byQueue = messages > 0 && !dormant ? Math.max(1, Math.ceil(messages / worker.jobsPerWorker)) : 0;
  const terms = [
    { value: bounds.min, text: `minimum ${bounds.min} (${bounds.because.join('; ')})` },
    dormant && messages > 0
      ? {
          value: 0,
          text: `${plural(messages, 'message')}, below the ${worker.activationMessages} that start the first worker (activationMessages) = 0`,
        }
      : {
          value: byQueue,
          text: `${plural(messages, 'message')} (waiting and in progress) / ${worker.jobsPerWorker} per worker = ${byQueue}`,
        },
  ];
  if (oldest !== undefined && oldest * 1000 > worker.maxQueueDelayMs) {
    if (replicas.ready >= current) {
      const more = Math.max(1, Math.ceil(current / 2));
      terms.push({
        value: current + more,
        text: `oldest message waited ${formatDuration(oldest * 1000)} > ${formatDuration(worker.maxQueueDelayMs)}: all ${current} workers are busy, adding ${more}`,
      });
    } else {
      terms.push({
        value: current,
        text: `oldest message waited ${formatDuration(oldest * 1000)}, but ${replicas.ready}/${current} workers are ready: waiting for them before adding more`,
      });
    }
  }
  const wanted = Math.max(...terms.map((t) => t.value));
  const desired = Math.max(bounds.min, Math.min(wanted, bounds.max));
  const decisive = terms.filter((t) => t.value === wanted).map((t) => t.text);
  const capped =
    wanted > desired
      ? `, capped at the maximum ${bounds.max}${bounds.max < worker.maxReplicas ? ` (${bounds.because.slice(1).join('; ')})` : ''}`
      : '';
  return { desired, why: `desired ${desired} workers: ${decisive.join(' and ')}${capped}` };
}
