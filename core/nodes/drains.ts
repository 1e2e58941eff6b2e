// Drains in progress, tick after tick: abandoned when a pod we may not move turns up, evictions
// planned within the PDBs and the run's budget, and the VM deallocated only once the node is empty.

import { Budget } from '../budget';
import { blockerOf, DisruptionLedger, podKey } from '../cluster';
import { formatDuration } from '../duration';
import { ON_COMPLETION, SAFE_TO_EVICT } from '../annotations';
import type { DrainMemory } from '../memory';
import { iso, plural } from '../planner';
import { describeStuck, LONG_WAIT_MS, STUCK_TERMINATING_MARGIN_MS, surveyDrain } from './drain-survey';
import { giveBack, stopGiveUpMs, stopGivenUp } from './failed-stops';
import type { NodeTick, Tracked } from './tick';

/**
 * Never forced: when a pod we may not move sits on a draining node, give the node back rather than
 * wait forever. Done before counting, so the freed drain slot and the node's capacity are seen now.
 */
export function abandonBlockedDrains(tick: NodeTick): void {
  for (const t of [...tick.inState('draining'), ...tick.inState('stopping')]) {
    const blocker = blockerOf(tick.input.index, t.node.name);
    if (!blocker) continue;
    delete tick.memory.drains[t.node.name];
    tick.setState(t, t.node.ready ? 'running' : 'not-ready');
    if (t.node.cordoned && t.node.ready) {
      tick.act({
        type: 'uncordon',
        node: t.node.name,
        scaler: 'nodes',
        rule: 'drain-blocked-uncordon',
        reason: `drain abandoned: pod ${blocker}`,
      });
    }
    tick.skip(`node/${t.node.name}`, 'blocked-by-pod', `drain abandoned: pod ${blocker}`);
  }
}

/** Oldest drain first: it has waited longest for its evictions. */
export function progressDrains(tick: NodeTick): void {
  const { memory, policy } = tick;
  const { now, snapshot } = tick.input;
  const evictions = new Budget('evictions', policy.maxEvictionsPerRun);
  const stops = new Budget('node stops', policy.maxStopsPerRun);
  const ledger = new DisruptionLedger(snapshot.pdbs);
  const draining = [...tick.inState('draining'), ...tick.inState('stopping')].sort(
    (a, b) => Date.parse(memory.drains[a.node.name]!.since) - Date.parse(memory.drains[b.node.name]!.since),
  );
  for (const t of draining) {
    const name = t.node.name;
    const drain = memory.drains[name]!;
    if (!t.node.cordoned && t.state === 'draining' && Date.parse(drain.since) < now) {
      tick.act({
        type: 'cordon',
        node: name,
        scaler: 'nodes',
        rule: 'drain-cordon',
        reason: `resuming the drain begun ${drain.since}, whose cordon did not take effect: ${drain.reason}`,
      });
    }
    // On its way down (stop asked) yet uncordoned, with no cordon going out this tick: whatever runs
    // there landed after the cordon was lifted, and the runner would refuse each eviction as stale,
    // after this loop had spent a PodDisruptionBudget on it that drains still ours need (invariant 9).
    if (!t.node.cordoned && t.state === 'stopping') {
      if (stopGivenUp(tick, name, drain)) {
        giveBack(tick, t, drain);
        continue;
      }
      tick.skip(
        `node/${name}`,
        'not-cordoned',
        `deallocation asked ${drain.stopRequestedAt} but the node is not cordoned: nothing is evicted from it or counted against a PodDisruptionBudget; the drain ends once it shows as stopped or Ready, or ${formatDuration(stopGiveUpMs(policy))} after its first stop request (${drain.stopFirstRequestedAt ?? drain.stopRequestedAt})`,
      );
      continue;
    }
    const { toEvict, terminating, waiting, blocked, stuck, onlyLongWaits } = surveyDrain(tick, name);
    const slot = onlyLongWaits
      ? `; its drain slot is free for another node meanwhile (waits of ${formatDuration(LONG_WAIT_MS)} or more hold none)`
      : '';
    let deferred = 0;
    for (const pod of toEvict) {
      const refusal = ledger.refusal(pod);
      if (refusal) {
        tick.skip(`pod/${podKey(pod)}`, 'pdb-blocks', refusal);
        continue;
      }
      if (!evictions.take()) {
        deferred++;
        continue;
      }
      ledger.spend(pod);
      tick.act({
        type: 'evict',
        namespace: pod.namespace,
        pod: pod.name,
        node: name,
        scaler: 'nodes',
        rule: 'drain-evict',
        reason: `draining ${name} (${drain.reason}); grace ${pod.graceSeconds}s is honoured`,
      });
    }
    if (deferred > 0) tick.skip(`node/${name}`, 'budget-exhausted', `${plural(deferred, 'eviction')} here: ${evictions.explain()}`);
    // abandonBlockedDrains gave nodes with a blocked pod back; never stop one regardless.
    if (toEvict.length > 0 || blocked > 0) continue;
    if (stuck) {
      tick.skip(
        `node/${name}`,
        'stuck-terminating',
        `drain slot given up, the node stays cordoned and is checked again every tick: ${plural(stuck.length, 'pod')} still terminating ${formatDuration(STUCK_TERMINATING_MARGIN_MS)} past the end of the grace period: ${describeStuck(stuck)}`,
      );
      continue;
    }
    if (terminating.length > 0) {
      const longestGrace = Math.max(...terminating.map((p) => p.graceSeconds));
      tick.skip(
        `node/${name}`,
        'waiting-for-termination',
        `${plural(terminating.length, 'pod')} still terminating (longest grace ${formatDuration(longestGrace * 1000)}); the node is stopped only once they are gone${slot}`,
      );
      continue;
    }
    if (waiting.length > 0) {
      tick.skip(
        `node/${name}`,
        'waiting-for-completion',
        `${plural(waiting.length, 'pod')} annotated ${SAFE_TO_EVICT}=${ON_COMPLETION} still running (${waiting.map(podKey).join(', ')}); never evicted, the node is stopped once they finish${slot}`,
      );
      continue;
    }
    stopWhenEmpty(tick, t, drain, stops);
  }
}

/** Invariant 1: only DaemonSet and mirror pods remain, and the snapshot was taken after the cordon. */
function stopWhenEmpty(tick: NodeTick, t: Tracked, drain: DrainMemory, stops: Budget): void {
  const { policy } = tick;
  const { now } = tick.input;
  const name = t.node.name;
  // Cordoned this tick, or the cordon has not shown up yet: confirm on a later snapshot that nothing landed.
  if (Date.parse(drain.since) >= now || !t.node.cordoned) return;
  if (stopGivenUp(tick, name, drain)) {
    giveBack(tick, t, drain);
    return;
  }
  const stopAt = drain.stopRequestedAt ? Date.parse(drain.stopRequestedAt) : undefined;
  if (stopAt !== undefined && now - stopAt < policy.stopTimeoutMs) {
    tick.skip(`node/${name}`, 'stop-in-progress', `deallocation requested ${drain.stopRequestedAt}; waiting for the VM to stop`);
    return;
  }
  if (!stops.take()) {
    tick.skip(`node/${name}`, 'budget-exhausted', `empty and ready to stop: ${stops.explain()}`);
    return;
  }
  const retry = stopAt !== undefined;
  tick.memory.drains[name] = { ...drain, stopRequestedAt: iso(now), stopFirstRequestedAt: drain.stopFirstRequestedAt ?? iso(now) };
  tick.setState(t, 'stopping');
  tick.act({
    type: 'stop-node',
    node: name,
    scaler: 'nodes',
    rule: retry ? 'stop-retry' : 'drain-complete-stop',
    reason: retry
      ? `deallocation requested ${drain.stopRequestedAt} has not taken effect after ${formatDuration(policy.stopTimeoutMs)}; requesting again`
      : `drained since ${drain.since}: only DaemonSet/mirror pods remain; deallocating the VM (${drain.reason})`,
  });
}
