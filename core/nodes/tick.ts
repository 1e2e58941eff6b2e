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
  /** Changed only through NodeTick.setState, which keeps the tick's grouping by state right. */
  readonly state: NodeState;
  workloadPods: number;
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
   * The tracked nodes grouped by state, in tracked order: made when first asked, dropped when a node
   * is tracked or changes state. The steps ask for the count or the list of a state a dozen times a
   * tick and change a handful of states, and each asking was a pass over thousands of nodes.
   */
  private groups: Map<NodeState, Tracked[]> | undefined;

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
      ...(m.lastScaleUp ? { lastScaleUp: m.lastScaleUp } : {}),
      ...(m.lastScaleDown ? { lastScaleDown: m.lastScaleDown } : {}),
    };
  }

  /** Tracks a node, or replaces the node tracked under the same number. */
  track(t: Tracked): void {
    // Sized by the listed nodes, not the figures: nodes are tracked before the walk over the pods.
    const places = (this.places ??= new Int32Array(this.input.snapshot.nodes.length).fill(-1));
    const place = places[t.at]!;
    if (place >= 0) this.tracked[place] = t;
    else {
      places[t.at] = this.tracked.length;
      this.tracked.push(t);
    }
    this.groups = undefined;
  }

  setState(t: Tracked, state: NodeState): void {
    (t as { state: NodeState }).state = state;
    this.groups = undefined;
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
    return this.group(state).length;
  }

  /** The nodes in a state, in tracked order: a list of the caller's own, to sort or keep. */
  inState(state: NodeState): Tracked[] {
    return [...this.group(state)];
  }

  private group(state: NodeState): readonly Tracked[] {
    return (this.groups ??= groupByState(this.tracked)).get(state) ?? NONE;
  }
}

const NONE: readonly Tracked[] = [];

function groupByState(tracked: readonly Tracked[]): Map<NodeState, Tracked[]> {
  const groups = new Map<NodeState, Tracked[]>();
  for (const t of tracked) {
    const group = groups.get(t.state);
    if (group) group.push(t);
    else groups.set(t.state, [t]);
  }
  return groups;
}
