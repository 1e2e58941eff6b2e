// The planners of a tick, registered once: plan() runs them in this order. The order is the scaler
// list's (scalers.ts), and a planner's `reads` names what it takes from those before it.

import { planDescheduler } from './descheduler';
import { planNodes } from './nodes';
import type { Planner } from './planner';
import { SCALER_NAMES } from './scalers';
import { planWorkers } from './workers';

const BY_NAME: { readonly [N in (typeof SCALER_NAMES)[number]]: Planner<N> } = {
  nodes: { name: 'nodes', reads: [], run: (input) => planNodes(input) },
  workers: { name: 'workers', reads: [], run: (input) => planWorkers(input) },
  // Drains and starts the node planner decided this tick count too; without it this tick (its own
  // timer), the node memory as read.
  descheduler: {
    name: 'descheduler',
    reads: ['nodes'],
    run: (input, earlier) => planDescheduler(input, earlier.nodes?.memory ?? input.memory.nodes),
  },
};

export const PLANNERS: readonly Planner[] = SCALER_NAMES.map((name) => BY_NAME[name]);
