// The node planner: how many VMs of the managed pools should run, and the gentle steps towards it.
// The seed's metric is workload pods per running node, not CPU. Up fast (cancel a drain, start a
// stopped VM, grow the pool); down slow (wait out the stabilisation window, then cordon, evict
// tick after tick for as long as grace periods take, and deallocate only an empty node).
//
// The steps, in the order they run: where each node stands (track.ts, state.ts), drains given back
// (drains.ts), nodes on their way (provisioning.ts), how many nodes (sizing.ts), then up fast
// (scale-up.ts) or down slow (scale-down.ts), the drains' progress (drains.ts), and the placement
// marks on the nodes as the tick leaves them (marks.ts: drain candidates, the nodes that stay).

import { vmsByPool } from '../cost';
import type { NodeSummary } from '../decision';
import type { NodeMemory } from '../memory';
import type { PlannerInput, PlannerOutput } from '../planner';
import { stabilise } from '../stabilisation';
import type { NodeView } from '../views';
import { formatDuration } from '../duration';
import { plural } from '../planner';
import { measureAges } from './ages';
import { describeForecast, forecastDemand, learnDemand, upgradeDemand } from './demand';
import { drainsHoldingSlots } from './drain-survey';
import { aksHolds } from './aks-operations';
import { abandonBlockedDrains, progressDrains } from './drains';
import { describeOverdue, overdueStarts, SPARE_TEXT, spareBesideOverdue } from './failed-starts';
import { markNodes } from './marks';
import { followProvisioning } from './provisioning';
import { considerScaleDown } from './scale-down';
import { scaleUp } from './scale-up';
import { nodeBounds, sizeNodes } from './sizing';
import type { NodeState } from './state';
import { NodeTick } from './tick';
import { trackNodes } from './track';

export { rememberFailedStart } from './failed-starts';
export { classifyNode, observedState, type NodeClass, type NodeRecall, type NodeState, type StateEffect, type StateRules } from './state';

export function planNodes(input: PlannerInput): PlannerOutput<NodeMemory, NodeSummary> | undefined {
  const policy = input.policy.nodes;
  if (!policy) return undefined;
  const tick = new NodeTick(input, policy);
  const { now } = input;
  const managed: NodeView[] = [];
  const numbers: number[] = [];
  const nodes = input.snapshot.nodes;
  for (let position = 0; position < nodes.length; position++) {
    const n = nodes[position]!;
    if (n.pool === undefined || !policy.pools.includes(n.pool)) continue;
    managed.push(n);
    numbers.push(input.index.numberAt(position));
  }
  const bounds = nodeBounds(tick);
  const aks = aksHolds(input.snapshot.pools, policy.pools, managed);
  // Held by a person (pause) or by AKS at work: nothing is touched, not even the bookkeeping.
  const hold = bounds.paused || aks.length > 0;
  trackNodes(tick, managed, numbers, hold);
  if (!hold) abandonBlockedDrains(tick);
  const incoming = hold ? 0 : followProvisioning(tick, managed);
  const prewarm = policy.prewarm;
  // A format, not bookkeeping: done on a held tick too, so its summary still shows the forecast.
  upgradeDemand(tick.memory);
  const forecast = prewarm.mode === 'off' ? undefined : forecastDemand(tick.memory, input.policy, now, prewarm.leadMs);
  const lead = formatDuration(prewarm.leadMs);
  const term =
    forecast && prewarm.mode === 'act'
      ? { nodes: forecast.nodes, text: `pre-warming ${lead} ahead: ${describeForecast(forecast)}` }
      : undefined;
  const { desired, why, load, demand, drainFloor } = sizeNodes(tick, managed, bounds, term);
  if (!hold) learnDemand(tick.memory, input.clock, demand);
  if (load.elsewhere.count > 0) {
    // Otherwise the summary's pending pods and a desired count that ignores them read as a scaler asleep.
    tick.notes.push(
      `${plural(load.elsewhere.count, 'pending pod')} (${load.elsewhere.first}${load.elsewhere.count > 1 ? ', …' : ''}) fit no node of the managed pools (${policy.pools.join(', ')}) by node selector, required node affinity or tolerations: not counted, and no node is started for them`,
    );
  }

  const count = (s: NodeState) => tick.countState(s);
  const running = count('running');
  // A start that is taking far too long is not waited for while pods are pending (failed-starts.ts),
  // as far as the maximum allows: the slow VM may still come up beside the one started for it.
  const late = hold ? [] : overdueStarts(tick);
  const overdue = load.unschedulable > 0 ? late.slice(0, Math.max(0, bounds.max - desired)) : [];
  // Nodes running or on their way, leaving out `leftOut` overdue starts; counted anew when asked (after the actions, too).
  const upOrComing = (leftOut: number) => count('running') + count('starting') - leftOut + count('booting') + incoming;
  const have = upOrComing(overdue.length);
  // Nor is such a start counted when it comes to draining: nodes that are up would be drained to
  // make room for one that may never come (the fault soak saw two nodes, just started for waiting
  // pods, drained again for a start that had hung). Once it is Ready, it is counted as any node.
  const haveForDrain = upOrComing(late.length);
  // The figures describe the cluster as found, before this tick's actions.
  const found = {
    running,
    starting: count('starting') + count('booting') + incoming,
    stopped: count('stopped') + count('stopping'),
    draining: count('draining'),
    drainsHoldingSlots: drainsHoldingSlots(tick),
  };

  const stab = stabilise(tick.memory.recommendations, now, policy.scaleDownDelayMs, desired);
  tick.memory.recommendations = stab.history;

  if (bounds.paused)
    tick.skip('nodes', 'paused', `node scaling is paused: ${bounds.because.slice(1).join('; ')}; desired would be ${desired}`);
  for (const h of aks)
    tick.skip(
      `pool/${h.pool}`,
      h.failed ? 'aks-operation-failed' : 'aks-operation-in-progress',
      `${h.reason}; desired would be ${desired}`,
    );
  if (!hold && forecast && prewarm.mode === 'forecast' && Math.min(forecast.nodes, bounds.max) > Math.max(desired, have)) {
    const more = Math.min(forecast.nodes, bounds.max) - Math.max(desired, have);
    tick.skip(
      'nodes',
      'prewarm-forecast-only',
      `would start ${plural(more, 'more node')} now, ${lead} ahead: ${describeForecast(forecast)}; nodes.prewarm.mode is forecast, so nothing is started for it`,
    );
  }
  if (!hold) {
    if (desired > have) {
      // 0 unless a start it replaces was seen hanging (failed-starts.ts).
      const spare = spareBesideOverdue(desired, have, overdue, count('stopped'), bounds.max);
      const late = overdue.length > 0 ? `; ${describeOverdue(overdue, load.unschedulable)}${spare > 0 ? `; ${SPARE_TEXT}` : ''}` : '';
      scaleUp(tick, desired + spare, have, `${why}${late}`);
    } else if (desired < haveForDrain && drainFloor.value >= haveForDrain && haveForDrain <= bounds.max)
      tick.skip('nodes', 'scale-down-packing', `${haveForDrain} nodes, ${why}; but ${drainFloor.text}: no node drained`);
    else if (desired < haveForDrain) {
      // Down to the stabilised need, but not below the drain floor (sizing.ts), said when it decides.
      const floor = Math.max(stab.floor, Math.min(drainFloor.value, bounds.max));
      const because = floor > stab.floor ? `${why}; ${drainFloor.text}` : why;
      considerScaleDown(tick, haveForDrain, { ...stab, floor }, because, bounds.min, bounds.max);
    } else if (count('draining') + count('stopping') === 0 && desired === bounds.min && running > 0) {
      tick.skip('nodes', 'at-minimum', `running ${have} = desired ${desired}: ${why}`);
    }
    progressDrains(tick);
    // As this tick leaves them: cordoned nodes are draining now, cancelled drains running again.
    markNodes(tick, { desired, have: upOrComing(overdue.length), why });
  }

  if (!input.snapshot.controllers && !bounds.paused) {
    // Blocking every owned pod for want of its controller would stop all scale-down: the rule is left out, and said so.
    tick.notes.push(
      "the snapshot lists no ReplicaSets, StatefulSets, Jobs, DaemonSets or ReplicationControllers, so whether a pod's controller still exists was not checked (controller-not-found, ControllerNotFound)",
    );
  }
  const summary: NodeSummary = {
    desired,
    ...found,
    workloadPods: load.pods,
    podsPerRunningNode: running > 0 ? Math.round((load.pods / running) * 10) / 10 : 0,
    minNodes: bounds.min,
    maxNodes: bounds.max,
    why,
    aksHolds: aks.map((h) => ({ pool: h.pool, state: h.state, failed: h.failed })),
    vms: vmsByPool(nodes),
    ...measureAges(tick),
    ...(forecast && prewarm.mode !== 'off' ? { forecast: { ...forecast, mode: prewarm.mode } } : {}),
  };
  return { actions: tick.actions, skipped: tick.skipped, memory: tick.memory, summary, notes: tick.notes };
}
