// One tick of the node planner: the memory it carries forward, where each managed node stands, and
// what it has decided so far. Every step (sizing, scale-up, scale-down, drains) reads and writes
// here, so actions and refusals come out in the order the steps ran.

import type { Action, Skip } from '../decision';
import type { NodeMemory } from '../memory';
import type { PlannerInput } from '../planner';
import type { NodePolicy } from '../policy';
import type { Protection } from '../protection';
import type { NodeView } from '../views';
import type { DrainSurvey } from './drain-survey';
import type { NodeState } from './state';

export interface Tracked {
  node: NodeView;
  /** Changed only through NodeTick.setState, which keeps the tick's count of each state right. */
  readonly state: NodeState;
  workloadPods: number;
  /** Workload pods that may keep the node for long once evicted (NodeFigures.slowPods). */
  slowPods: number;
  /** The node's number in the cluster index's figures, looked up once per tick. */
  at: number;
  /** Why it may not be scaled down, if it may not; looked up once per tick. */
  protection: Protection | undefined;
}

export class NodeTick {
  readonly actions: Action[] = [];
  readonly skipped: Skip[] = [];
  readonly notes: string[] = [];
  readonly memory: NodeMemory;
  /** Each managed node once (a repeated name keeps the first place and the last view), in snapshot order. */
  readonly tracked: Tracked[] = [];
  /** The place in `tracked` of each node number; -1 when not managed. */
  private places: Int32Array | undefined;
  /** What is left on each draining node, surveyed once per tick (drain-survey.ts). */
  readonly surveys = new Map<string, DrainSurvey>();
  /**
   * Each tracked node's state as a small number, by place in `tracked`. The steps count or list the
   * nodes in a state a dozen times a tick: a pass over a few thousand bytes, not over as many objects.
   */
  private codes = new Uint8Array(0);

  constructor(
    readonly input: PlannerInput,
    readonly policy: NodePolicy,
  ) {
    const m = input.memory.nodes;
    this.memory = {
      recommendations: [...m.recommendations],
      drains: { ...m.drains },
      starting: { ...m.starting },
      provisioning: [...m.provisioning],
      ...(m.refusedPools ? { refusedPools: { ...m.refusedPools } } : {}),
      ...(m.failedStarts ? { failedStarts: { ...m.failedStarts } } : {}),
      ...(m.failedStops ? { failedStops: { ...m.failedStops } } : {}),
      ...(m.demand ? { demand: { ...m.demand } } : {}),
      ...(m.lastScaleUp ? { lastScaleUp: m.lastScaleUp } : {}),
      ...(m.lastScaleDown ? { lastScaleDown: m.lastScaleDown } : {}),
    };
  }

  /** Tracks a node, or replaces the node tracked under the same number. */
  track(t: Tracked): void {
    // Sized by the listed nodes, not the figures: nodes are tracked before the walk over the pods.
    if (!this.places) {
      this.places = new Int32Array(this.input.snapshot.nodes.length).fill(-1);
      this.codes = new Uint8Array(this.input.snapshot.nodes.length);
    }
    let place = this.places[t.at]!;
    if (place >= 0) this.tracked[place] = t;
    else {
      place = this.places[t.at] = this.tracked.length;
      this.tracked.push(t);
    }
    this.codes[place] = codeOf(t.state);
  }

  setState(t: Tracked, state: NodeState): void {
    (t as { state: NodeState }).state = state;
    this.codes[this.places![t.at]!] = codeOf(state);
  }

  trackedAt(at: number): Tracked | undefined {
    const place = at >= 0 && this.places && at < this.places.length ? this.places[at]! : -1;
    return place >= 0 ? this.tracked[place] : undefined;
  }

  act(action: Action): void {
    this.actions.push(action);
  }

  skip(target: string, rule: Skip['rule'], reason: string): void {
    this.skipped.push({ scaler: 'nodes', target, rule, reason });
  }

  countState(state: NodeState): number {
    const code = codeOf(state);
    let n = 0;
    for (let place = 0; place < this.tracked.length; place++) if (this.codes[place] === code) n++;
    return n;
  }

  /** The nodes in a state, in tracked order. */
  inState(state: NodeState): Tracked[] {
    const code = codeOf(state);
    const found: Tracked[] = [];
    for (let place = 0; place < this.tracked.length; place++) if (this.codes[place] === code) found.push(this.tracked[place]!);
    return found;
  }
}

const STATES: readonly NodeState[] = [
  'running',
  'draining',
  'stopping',
  'stopped',
  'starting',
  'booting',
  'unavailable',
  'not-ready',
  'ignored',
];

const codeOf = (state: NodeState): number => STATES.indexOf(state);
