// One tick of the node planner: the memory it carries forward, where each managed node stands, and
// what it has decided so far. Every step (sizing, scale-up, scale-down, drains) reads and writes
// here, so actions and refusals come out in the order the steps ran.

import type { NodeStats } from '../cluster';
import type { Action, Skip } from '../decision';
import type { NodeMemory } from '../memory';
import type { PlannerInput } from '../planner';
import type { NodePolicy } from '../policy';
import type { NodeView } from '../views';
import type { NodeState } from './state';

export interface Tracked {
  node: NodeView;
  state: NodeState;
  workloadPods: number;
  /** Looked up once per node per tick: at 5,000 nodes every map lookup shows. */
  stats: NodeStats;
}

export class NodeTick {
  readonly actions: Action[] = [];
  readonly skipped: Skip[] = [];
  readonly notes: string[] = [];
  readonly memory: NodeMemory;
  readonly tracked = new Map<string, Tracked>();

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

  act(action: Action): void {
    this.actions.push(action);
  }

  skip(target: string, rule: Skip['rule'], reason: string): void {
    this.skipped.push({ scaler: 'nodes', target, rule, reason });
  }

  countState(state: NodeState): number {
    let n = 0;
    for (const t of this.tracked.values()) if (t.state === state) n++;
    return n;
  }

  inState(state: NodeState): Tracked[] {
    return [...this.tracked.values()].filter((t) => t.state === state);
  }
}
