// The oracle lower bound on hand-computable cases: per instant, the fewest nodes by pods, cpu and
// memory alone; jobs counted from arrival for their duration; MDM as its HPA sets them.

import { describe, expect, it } from 'vitest';
import { nodesFor, oracleBound, runningJobs, trafficDemand, type NodeCapacity } from '../../../sim/scenario/oracle';
import { HOUR, MINUTE, type Traffic } from '../../../sim/scenario/traffic';
import { DEFAULT_WORKLOADS } from '../../../sim/scenario/world';

const GIB = 2 ** 30;
const NODE: NodeCapacity = { pods: 24, cpuMilli: 3630, memoryBytes: 12 * GIB };

describe('nodesFor', () => {
  it.each([
    [0, 0, 0, 0],
    [1, 150, 0.5 * GIB, 1],
    [24, 24 * 150, 12 * GIB, 1], // 24 MDM pods fill a node in all three
    [25, 25 * 150, 12.5 * GIB, 2], // by pods (and memory)
    [10, 7300, 1 * GIB, 3], // by cpu: 7.3 cores over 3.63 a node
    [4, 400, 30 * GIB, 3], // by memory
  ])('%i pods, %i millicores, %d bytes need %i node(s)', (pods, cpu, mem, nodes) => {
    expect(nodesFor(pods, cpu, mem, NODE)).toBe(nodes);
  });
});

function traffic(stepMs: number, rps: number[], jobs: { at: number; durationMs: number }[] = []): Traffic {
  return { start: 0, end: rps.length * stepMs, stepMs, mdmRps: Float64Array.from(rps), jobs, batchStarts: [], batchRunMs: 0 };
}

describe('runningJobs', () => {
  it('counts a job from its arrival to its end (end exclusive), at each step', () => {
    const t = traffic(
      MINUTE,
      [0, 0, 0, 0, 0],
      [
        { at: 0, durationMs: 2 * MINUTE }, // steps 0, 1
        { at: 30_000, durationMs: 2 * MINUTE }, // steps 1, 2
        { at: 3 * MINUTE + 1, durationMs: 500 }, // between two steps: never seen
      ],
    );
    expect([...runningJobs(t, 5)]).toEqual([1, 2, 1, 0, 0]);
  });
});

describe('oracle bound', () => {
  it("sums each step's nodes over time", () => {
    const demand = {
      pods: Float64Array.from([24, 25, 0, 48]),
      cpuMilli: Float64Array.from([3600, 3750, 0, 7200]),
      memoryBytes: Float64Array.from([12 * GIB, 12.5 * GIB, 0, 24 * GIB]),
    };
    const bound = oracleBound(demand, NODE, 15 * MINUTE);
    expect([...bound.nodes]).toEqual([1, 2, 0, 2]);
    expect(bound.nodeHours).toBe((5 * 15) / 60);
  });

  it('asks for MDM as the HPA sets it, the panel, and one worker per running job (at least the minimum)', () => {
    // 30 rps = 30 MDM pods; 3 panel pods; jobs: 2 running at step 0, none after.
    const t = traffic(
      30_000,
      [30, 30],
      [
        { at: 0, durationMs: 15_000 },
        { at: 0, durationMs: 15_000 },
      ],
    );
    const demand = trafficDemand(t, DEFAULT_WORKLOADS, 1);
    expect([...demand.pods]).toEqual([30 + 3 + 2, 30 + 3 + 1]);
    expect(demand.cpuMilli[0]).toBe(30 * 150 + 3 * 250 + 2 * 200);
    expect(demand.memoryBytes[1]).toBe(30 * 0.5 * GIB + 3 * GIB + 0.5 * GIB);
    // 35 pods: 2 nodes by pods; cpu 5.65 cores: 2; memory 19 GiB: 2.
    expect(oracleBound(demand, NODE, HOUR).nodeHours).toBe(4);
  });
});
