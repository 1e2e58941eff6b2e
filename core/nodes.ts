// The node planner: how many VMs of the managed pools should run, and the gentle steps towards it.
// The seed's metric is workload pods per running node, not CPU. Up fast (cancel a drain, start a
// stopped VM, grow the pool); down slow (wait out the stabilisation window, then cordon, evict
// tick after tick for as long as grace periods take, and deallocate only an empty node).

import { DRAIN_REASON, DRAINING_SINCE, SHUTDOWN_TAINT } from './annotations';
import { effectiveBounds } from './bounds';
import { Budget } from './budget';
import { blockerOf, byName, DisruptionLedger, podKey, podsOn, statsOf, type NodeStats } from './cluster';
import type { Action, NodeSummary, Skip } from './decision';
import { formatDuration } from './duration';
import { isWorkloadPod, podVerdict, type EvictionContext } from './evictability';
import { podSuitsNode } from './fit';
import type { DrainMemory, NodeMemory } from './memory';
import { overridesFor } from './overrides';
import { iso, plural, type PlannerInput, type PlannerOutput } from './planner';
import type { NodePolicy } from './policy';
import { nodeProtection } from './protection';
import { activeWindows } from './schedule';
import { stabilise } from './stabilisation';
import type { NodeView, PodView } from './views';

type NodeState =
  | 'running'
  | 'draining'
  | 'stopping'
  | 'stopped'
  | 'starting'
  | 'booting'
  | 'unavailable'
  | 'not-ready'
  | 'ignored';

interface Tracked {
  node: NodeView;
  state: NodeState;
  workloadPods: number;
  /** Looked up once per node per tick: at 5,000 nodes every map lookup shows. */
  stats: NodeStats;
}

/** What one node of the pool can take, after its DaemonSet and mirror pods. */
interface NodeTemplate {
  pods: number;
  cpuMilli: number;
  memoryBytes: number;
}

interface Term {
  value: number;
  text: string;
}

const GIB = 1024 ** 3;

export function planNodes(input: PlannerInput): PlannerOutput<NodeMemory, NodeSummary> | undefined {
  const policy = input.policy.nodes;
  if (!policy) return undefined;
  return new NodePlanner(input, policy).plan();
}

class NodePlanner {
  private readonly actions: Action[] = [];
  private readonly skipped: Skip[] = [];
  private readonly notes: string[] = [];
  private readonly memory: NodeMemory;
  private readonly tracked = new Map<string, Tracked>();
  private readonly evictionContext: EvictionContext;

  constructor(
    private readonly input: PlannerInput,
    private readonly policy: NodePolicy,
  ) {
    const m = input.memory.nodes;
    this.memory = {
      recommendations: [...m.recommendations],
      drains: { ...m.drains },
      starting: { ...m.starting },
      provisioning: [...m.provisioning],
      ...(m.lastScaleUp ? { lastScaleUp: m.lastScaleUp } : {}),
      ...(m.lastScaleDown ? { lastScaleDown: m.lastScaleDown } : {}),
    };
    this.evictionContext = { protectLocalStorage: policy.protectLocalStorage };
  }

  plan(): PlannerOutput<NodeMemory, NodeSummary> {
    const { now, clock } = this.input;
    const managed = this.input.snapshot.nodes.filter((n) => n.pool !== undefined && this.policy.pools.includes(n.pool));
    const bounds = effectiveBounds(
      this.policy.minNodes,
      this.policy.maxNodes,
      activeWindows(this.policy.schedule, clock).map((w) => ({ label: w.label, min: w.minNodes, max: w.maxNodes })),
      overridesFor(this.input.overrides, 'nodes'),
    );
    // While paused nothing is touched, not even the bookkeeping that could lead to an action.
    if (!bounds.paused) this.classify(managed);
    else for (const node of managed) this.tracked.set(node.name, { node, state: this.pausedState(node), workloadPods: 0, stats: statsOf(this.input.index, node.name) });
    if (!bounds.paused) this.abandonBlockedDrains();
    const incoming = bounds.paused ? 0 : this.followProvisioning(managed);
    const load = this.measureLoad(managed);
    const template = this.nodeTemplate(managed);

    const count = (s: NodeState) => this.countState(s);
    const running = count('running');
    const have = running + count('starting') + count('booting') + incoming;
    // The figures describe the cluster as found, before this tick's actions.
    const found = {
      running,
      starting: count('starting') + count('booting') + incoming,
      stopped: count('stopped') + count('stopping'),
      draining: count('draining'),
    };

    const terms: Term[] = [
      { value: bounds.min, text: `minimum ${bounds.min} (${bounds.because.join('; ')})` },
      {
        value: Math.ceil(load.pods / this.policy.targetPodsPerNode),
        text: `${plural(load.pods, 'workload pod')} / ${this.policy.targetPodsPerNode} per node = ${Math.ceil(load.pods / this.policy.targetPodsPerNode)}`,
      },
      this.fitTerm(load, template),
    ];
    if (load.unschedulable > 0) {
      // Relative to the nodes the scheduler could use when it gave up (as found, not as this tick
      // leaves them), so a repeated tick does not count the same pending pods twice.
      const usable = managed.filter((n) => n.ready && !n.cordoned && this.tracked.get(n.name)?.state !== 'ignored').length;
      const more = Math.ceil(load.unschedulable / template.pods);
      terms.push({
        value: usable + more,
        text: `${plural(load.unschedulable, 'pod')} Unschedulable need ${plural(more, 'node')} beyond the ${usable} schedulable = ${usable + more}`,
      });
    }
    const wanted = Math.max(...terms.map((t) => t.value));
    const desired = Math.max(bounds.min, Math.min(wanted, bounds.max));
    const why = this.explainDesired(terms, wanted, desired, bounds.max, bounds.max < this.policy.maxNodes ? bounds.because.slice(1) : []);

    const stab = stabilise(this.memory.recommendations, now, this.policy.scaleDownDelayMs, desired);
    this.memory.recommendations = stab.history;

    if (bounds.paused) {
      this.skip('nodes', 'paused', `node scaling is paused: ${bounds.because.slice(1).join('; ')}; desired would be ${desired}`);
    } else {
      if (desired > have) this.scaleUp(desired, have, why);
      else if (desired < have) this.considerScaleDown(have, stab, why, bounds.min, bounds.max);
      else if (this.countState('draining') + this.countState('stopping') === 0 && desired === bounds.min && running > 0) {
        this.skip('nodes', 'at-minimum', `running ${have} = desired ${desired}: ${why}`);
      }
      this.progressDrains();
    }

    const summary: NodeSummary = {
      desired,
      ...found,
      workloadPods: load.pods,
      podsPerRunningNode: running > 0 ? Math.round((load.pods / running) * 10) / 10 : 0,
      minNodes: bounds.min,
      maxNodes: bounds.max,
      why,
    };
    return { actions: this.actions, skipped: this.skipped, memory: this.memory, summary, notes: this.notes };
  }

  // --- where each node stands -------------------------------------------------------------------

  private pausedState(node: NodeView): NodeState {
    if (isStopped(node)) return 'stopped';
    return node.ready && !node.cordoned ? 'running' : 'unavailable';
  }

  private classify(managed: readonly NodeView[]): void {
    const { now } = this.input;
    const present = new Set(managed.map((n) => n.name));
    for (const name of Object.keys(this.memory.drains)) {
      if (!present.has(name)) {
        delete this.memory.drains[name];
        this.notes.push(`node ${name} is gone; its drain is forgotten`);
      }
    }
    for (const name of Object.keys(this.memory.starting)) if (!present.has(name)) delete this.memory.starting[name];

    for (const node of managed) {
      const stats = statsOf(this.input.index, node.name);
      this.tracked.set(node.name, { node, state: this.stateOf(node, now), workloadPods: stats.workloadPods, stats });
    }
  }

  private stateOf(node: NodeView, now: number): NodeState {
    const name = node.name;
    const protection = nodeProtection(node, this.policy.protectedNodeLabels);
    if (protection?.rule === 'ignored') {
      if (this.memory.drains[name]) {
        delete this.memory.drains[name];
        this.notes.push(`node ${name} is marked ${protection.detail.split(':')[0]}; its drain is forgotten and its cordon left as it is`);
      }
      this.skip(`node/${name}`, 'ignored', protection.detail);
      return 'ignored';
    }
    let drain = this.drainOf(node);
    const start = this.memory.starting[name];
    const startExpired = start !== undefined && now - Date.parse(start.since) >= this.policy.startTimeoutMs;
    if (start && startExpired && !node.ready) {
      delete this.memory.starting[name];
      this.skip(`node/${name}`, 'start-timed-out', `started ${start.since} but not Ready after ${formatDuration(this.policy.startTimeoutMs)}; it may be started again`);
    }

    if (isStopped(node)) {
      if (drain) {
        delete this.memory.drains[name];
        this.notes.push(`node ${name} is stopped; its drain is complete`);
      }
      return this.memory.starting[name] ? 'starting' : 'stopped';
    }
    if (drain && protection) {
      // Protected after the drain began (say, labelled for a batch): never drained or stopped; give it back.
      delete this.memory.drains[name];
      if (node.ready && node.cordoned) {
        this.act({ type: 'uncordon', node: name, scaler: 'nodes', rule: 'drain-blocked-uncordon', reason: `drain abandoned: the node is now protected (${protection.detail})` });
        return 'running';
      }
      drain = undefined;
    }
    if (node.ready) {
      if (start) {
        if (node.cordoned && start.uncordonWhenReady && !drain) {
          // Remembered until the snapshot shows the uncordon landed, so a failed patch is retried
          // rather than mistaken next tick for somebody else's cordon.
          this.act({
            type: 'uncordon',
            node: name,
            scaler: 'nodes',
            rule: 'started-node-ready',
            reason: `started ${start.since}, Ready now; it was cordoned when stopped, so scheduling resumes`,
          });
          return 'running';
        }
        delete this.memory.starting[name];
      }
      if (drain) {
        if (!node.cordoned) {
          // Our cordon writes the annotation in the same patch: with it, a person uncordoned the node
          // (kubectl keeps annotations) and meant it; without it, our cordon never landed: resume.
          if (node.annotations[DRAINING_SINCE] !== undefined) {
            delete this.memory.drains[name];
            this.notes.push(`node ${name} was uncordoned outside graceful-scaler; its drain (since ${drain.since}) is cancelled`);
            return 'running';
          }
          // Otherwise the cordon is re-issued in progressDrains, unless scale-up cancels the drain first.
        }
        this.memory.drains[name] = drain;
        return drain.stopRequestedAt ? 'stopping' : 'draining';
      }
      if (node.cordoned) {
        this.skip(`node/${name}`, 'cordoned-by-someone-else', 'cordoned, not by graceful-scaler: not counted as capacity, left as it is');
        return 'unavailable';
      }
      return 'running';
    }
    // Not Ready and not (yet) marked as shut down.
    if (this.memory.starting[name]) return 'starting';
    if (drain) {
      // Still counts against maxConcurrentDrains; the Eviction API works whatever the kubelet's state.
      this.memory.drains[name] = drain;
      return drain.stopRequestedAt ? 'stopping' : 'draining';
    }
    if (now - node.createdAt < this.policy.provisionTimeoutMs) return 'booting';
    this.skip(`node/${name}`, 'not-ready', 'NotReady without the shutdown taint: neither capacity nor a VM to start');
    return 'not-ready';
  }

  /** A drain is remembered in memory and mirrored on the node, so either survives a crash of the other. */
  private drainOf(node: NodeView): DrainMemory | undefined {
    const remembered = this.memory.drains[node.name];
    if (remembered) return remembered;
    const since = node.annotations[DRAINING_SINCE];
    if (since === undefined || !node.cordoned) return undefined;
    return { since, reason: node.annotations[DRAIN_REASON] ?? 'resumed from the node annotation' };
  }

  private followProvisioning(managed: readonly NodeView[]): number {
    const perPool = new Map<string, number>();
    for (const n of managed) perPool.set(n.pool!, (perPool.get(n.pool!) ?? 0) + 1);
    let incoming = 0;
    this.memory.provisioning = this.memory.provisioning.filter((p) => {
      const appeared = Math.max(0, (perPool.get(p.pool) ?? 0) - p.nodesBefore);
      const remaining = p.count - appeared;
      if (remaining <= 0) return false;
      if (this.input.now - Date.parse(p.since) >= this.policy.provisionTimeoutMs) {
        this.skip(`pool/${p.pool}`, 'provision-timed-out', `${plural(remaining, 'node')} of ${p.count} requested ${p.since} never appeared; no longer waited for`);
        return false;
      }
      incoming += remaining;
      this.skip(`pool/${p.pool}`, 'provision-in-progress', `${plural(remaining, 'new node')} of ${p.count} requested ${p.since} not yet joined`);
      return true;
    });
    return incoming;
  }

  private countState(state: NodeState): number {
    let n = 0;
    for (const t of this.tracked.values()) if (t.state === state) n++;
    return n;
  }

  private inState(state: NodeState): Tracked[] {
    return [...this.tracked.values()].filter((t) => t.state === state);
  }

  // --- how many nodes ---------------------------------------------------------------------------

  private measureLoad(managed: readonly NodeView[]) {
    const load = { pods: 0, cpuMilli: 0, memoryBytes: 0, unschedulable: 0 };
    for (const t of this.tracked.values()) {
      if (t.state === 'ignored') continue;
      const s = t.stats;
      load.pods += s.workloadPods;
      load.cpuMilli += s.workloadCpuMilli;
      load.memoryBytes += s.workloadMemoryBytes;
    }
    // Pending pods count only when a node of a managed pool could take them.
    const samples = new Map<string, NodeView>();
    for (const n of managed) if (!samples.has(n.pool!)) samples.set(n.pool!, n);
    for (const pod of this.input.index.unbound) {
      if (!isWorkloadPod(pod)) continue;
      let suits = false;
      for (const sample of samples.values()) if (podSuitsNode(pod, sample)) suits = true;
      if (!suits) continue;
      load.pods++;
      load.cpuMilli += pod.requests.cpuMilli;
      load.memoryBytes += pod.requests.memoryBytes;
      if (pod.unschedulable) load.unschedulable++;
    }
    return load;
  }

  /** Conservative: the smallest allocatable of the pools minus the most any node spends on DaemonSets. */
  private nodeTemplate(managed: readonly NodeView[]): NodeTemplate {
    if (managed.length === 0) return { pods: 30, cpuMilli: 1, memoryBytes: 1 };
    let pods = Infinity;
    let cpu = Infinity;
    let mem = Infinity;
    let dsPods = 0;
    let dsCpu = 0;
    let dsMem = 0;
    for (const { node, stats: s } of this.tracked.values()) {
      pods = Math.min(pods, node.allocatable.pods);
      cpu = Math.min(cpu, node.allocatable.cpuMilli);
      mem = Math.min(mem, node.allocatable.memoryBytes);
      dsPods = Math.max(dsPods, s.daemonPods);
      dsCpu = Math.max(dsCpu, s.daemonCpuMilli);
      dsMem = Math.max(dsMem, s.daemonMemoryBytes);
    }
    return { pods: Math.max(1, pods - dsPods), cpuMilli: Math.max(1, cpu - dsCpu), memoryBytes: Math.max(1, mem - dsMem) };
  }

  private fitTerm(load: { pods: number; cpuMilli: number; memoryBytes: number }, t: NodeTemplate): Term {
    const byPods = Math.ceil(load.pods / t.pods);
    const byCpu = Math.ceil(load.cpuMilli / t.cpuMilli);
    const byMem = Math.ceil(load.memoryBytes / t.memoryBytes);
    const value = Math.max(byPods, byCpu, byMem);
    const parts = [
      `${load.pods} pods at ${t.pods} per node = ${byPods}`,
      `${(load.cpuMilli / 1000).toFixed(1)} cpu requested at ${(t.cpuMilli / 1000).toFixed(2)} per node = ${byCpu}`,
      `${(load.memoryBytes / GIB).toFixed(1)} GiB requested at ${(t.memoryBytes / GIB).toFixed(1)} GiB per node = ${byMem}`,
    ];
    return { value, text: `fit ${value} (${parts.join(', ')})` };
  }

  /** `lowered`: what brought the maximum below the policy's (a window, an override), said with the cap. */
  private explainDesired(terms: readonly Term[], wanted: number, desired: number, max: number, lowered: readonly string[]): string {
    const decisive = terms.filter((t) => t.value === wanted).map((t) => t.text);
    const others = terms.filter((t) => t.value !== wanted).map((t) => t.text);
    let text = `desired ${desired} nodes: ${decisive.join(' and ')}`;
    if (wanted > desired) text += `, capped at the maximum ${max}${lowered.length > 0 ? ` (${lowered.join('; ')})` : ''}`;
    if (others.length > 0) text += ` [also: ${others.join('; ')}]`;
    return text;
  }

  // --- up fast ----------------------------------------------------------------------------------

  private scaleUp(desired: number, have: number, why: string): void {
    const { now } = this.input;
    let missing = desired - have;
    const header = `${desired} wanted, ${have} running or on the way`;
    // Cheapest first: a node still draining only needs uncordoning.
    const draining = this.inState('draining').sort((a, b) => b.workloadPods - a.workloadPods);
    for (const t of draining) {
      if (missing <= 0) break;
      delete this.memory.drains[t.node.name];
      t.state = 'running';
      missing--;
      this.act({ type: 'uncordon', node: t.node.name, scaler: 'nodes', rule: 'scale-up-cancel-drain', reason: `${header}: cancelling this drain is cheaper than any VM; ${why}` });
    }
    const stopped = this.inState('stopped').sort((a, b) => poolRank(this.policy, a.node) - poolRank(this.policy, b.node) || byName(a.node.name, b.node.name));
    for (const t of stopped) {
      if (missing <= 0) break;
      this.memory.starting[t.node.name] = { since: iso(now), uncordonWhenReady: t.node.cordoned };
      t.state = 'starting';
      missing--;
      this.act({ type: 'start-node', node: t.node.name, scaler: 'nodes', rule: 'scale-up-start-node', reason: `${header}: starting a deallocated VM (faster and cheaper than a new one); ${why}` });
    }
    if (missing > 0) {
      const pool = this.policy.pools[0]!;
      const nodesBefore = [...this.tracked.values()].filter((t) => t.node.pool === pool).length;
      this.memory.provisioning.push({ pool, count: missing, since: iso(now), nodesBefore });
      this.act({ type: 'add-nodes', pool, count: missing, scaler: 'nodes', rule: 'scale-up-add-nodes', reason: `${header}, no stopped VM left: growing pool ${pool} by ${missing}; ${why}` });
    }
    this.memory.lastScaleUp = iso(now);
  }

  // --- down slow --------------------------------------------------------------------------------

  private considerScaleDown(
    have: number,
    stab: { floor: number; covered: boolean; lowSince: number },
    why: string,
    minimum: number,
    maximum: number,
  ): void {
    const { now } = this.input;
    const delay = this.policy.scaleDownDelayMs;
    // A lowered maximum (schedule window, override) is a person's explicit ceiling: no waiting above it.
    const aboveMax = have > maximum;
    stab = aboveMax ? { ...stab, floor: Math.min(stab.floor, maximum), covered: true } : stab;
    if (!stab.covered || stab.floor >= have) {
      const waited = formatDuration(now - stab.lowSince);
      this.skip('nodes', 'not-needed-long-enough', `${have} nodes, ${why}; below for ${waited} of the ${formatDuration(delay)} scale-down delay` + (stab.covered ? `, but ${stab.floor} were needed within it` : ''));
      return;
    }
    const inFlight = this.countState('draining') + this.countState('stopping');
    const slots = this.policy.maxConcurrentDrains - inFlight;
    const excess = have - stab.floor;
    if (slots <= 0) {
      this.skip('nodes', 'drain-limit', `${excess} more node(s) could go, but ${plural(inFlight, 'drain')} already in progress (maxConcurrentDrains ${this.policy.maxConcurrentDrains})`);
      return;
    }
    // Fewest workload pods first: least disruption; then the newest VM (highest name) for a stable
    // order. Blockers are looked up lazily, only until enough candidates are found: at 5,000 nodes a
    // verdict for every pod would cost more than the rest of the tick.
    const want = Math.min(excess, slots);
    const ordered = this.inState('running').sort((a, b) => a.workloadPods - b.workloadPods || byName(b.node.name, a.node.name));
    const chosen: Tracked[] = [];
    for (const t of ordered) {
      const protection = nodeProtection(t.node, this.policy.protectedNodeLabels);
      if (protection) {
        this.skip(`node/${t.node.name}`, protection.rule, `not a scale-down candidate: ${protection.detail}`);
        continue;
      }
      if (chosen.length >= want) continue;
      const blocker = this.blockingPod(t.node);
      if (blocker) {
        this.skip(`node/${t.node.name}`, 'blocked-by-pod', `not a scale-down candidate: pod ${blocker}`);
        continue;
      }
      chosen.push(t);
    }
    for (const t of chosen) {
      const short = `${have} nodes > ${stab.floor} needed for ${formatDuration(delay)}; ${plural(t.workloadPods, 'workload pod')} here, the fewest among candidates`;
      this.memory.drains[t.node.name] = { since: iso(now), reason: short };
      t.state = 'draining';
      this.act({ type: 'cordon', node: t.node.name, scaler: 'nodes', rule: 'scale-down-cordon', reason: `${short} (${why})` });
    }
    if (chosen.length > 0) this.memory.lastScaleDown = iso(now);
    if (chosen.length < want) {
      this.skip('nodes', 'blocked-by-pod', `${excess} node(s) above the ${stab.floor} needed (minimum ${minimum}), but only ${plural(chosen.length, 'node')} may be drained`);
    }
  }

  private blockingPod(node: NodeView): string | undefined {
    return blockerOf(this.input.index, node.name);
  }

  /**
   * Never forced: when a pod we may not move sits on a draining node, give the node back rather than
   * wait forever. Done before counting, so the freed drain slot and the node's capacity are seen now.
   */
  private abandonBlockedDrains(): void {
    for (const t of [...this.inState('draining'), ...this.inState('stopping')]) {
      const blocker = this.blockingPod(t.node);
      if (!blocker) continue;
      delete this.memory.drains[t.node.name];
      t.state = t.node.ready ? 'running' : 'not-ready';
      if (t.node.cordoned && t.node.ready) {
        this.act({ type: 'uncordon', node: t.node.name, scaler: 'nodes', rule: 'drain-blocked-uncordon', reason: `drain abandoned: pod ${blocker}` });
      }
      this.skip(`node/${t.node.name}`, 'blocked-by-pod', `drain abandoned: pod ${blocker}`);
    }
  }

  private progressDrains(): void {
    const { now, snapshot } = this.input;
    const evictions = new Budget('evictions', this.policy.maxEvictionsPerRun);
    const stops = new Budget('node stops', this.policy.maxStopsPerRun);
    const ledger = new DisruptionLedger(snapshot.pdbs);
    const draining = [...this.inState('draining'), ...this.inState('stopping')].sort(
      (a, b) => Date.parse(this.memory.drains[a.node.name]!.since) - Date.parse(this.memory.drains[b.node.name]!.since),
    );
    for (const t of draining) {
      const name = t.node.name;
      const drain = this.memory.drains[name]!;
      if (!t.node.cordoned && t.state === 'draining' && Date.parse(drain.since) < now) {
        this.act({ type: 'cordon', node: name, scaler: 'nodes', rule: 'drain-cordon', reason: `resuming the drain begun ${drain.since}, whose cordon did not take effect: ${drain.reason}` });
      }
      let evictable = 0;
      let terminating = 0;
      let longestGrace = 0;
      let deferred = 0;
      let blocked = 0;
      const toEvict: PodView[] = [];
      for (const pod of podsOn(this.input.index, name)) {
        const v = podVerdict(pod, this.evictionContext);
        if (v.kind === 'terminating') {
          terminating++;
          longestGrace = Math.max(longestGrace, pod.graceSeconds);
        } else if (v.kind === 'evictable') {
          evictable++;
          toEvict.push(pod);
        } else if (v.kind === 'blocked') {
          blocked++; // abandonBlockedDrains gave such nodes back; never stop one regardless
        }
      }
      for (const pod of toEvict) {
        const refusal = ledger.refusal(pod);
        if (refusal) {
          this.skip(`pod/${podKey(pod)}`, 'pdb-blocks', refusal);
          continue;
        }
        if (!evictions.take()) {
          deferred++;
          continue;
        }
        ledger.spend(pod);
        this.act({
          type: 'evict',
          namespace: pod.namespace,
          pod: pod.name,
          node: name,
          scaler: 'nodes',
          rule: 'drain-evict',
          reason: `draining ${name} (${drain.reason}); grace ${pod.graceSeconds}s is honoured`,
        });
      }
      if (deferred > 0) this.skip(`node/${name}`, 'budget-exhausted', `${plural(deferred, 'eviction')} here: ${evictions.explain()}`);
      if (evictable > 0 || blocked > 0) continue;
      if (terminating > 0) {
        this.skip(`node/${name}`, 'waiting-for-termination', `${plural(terminating, 'pod')} still terminating (longest grace ${formatDuration(longestGrace * 1000)}); the node is stopped only once they are gone`);
        continue;
      }
      this.stopWhenEmpty(t, drain, stops, now);
    }
  }

  /** Invariant 1: only DaemonSet and mirror pods remain, and the snapshot was taken after the cordon. */
  private stopWhenEmpty(t: Tracked, drain: DrainMemory, stops: Budget, now: number): void {
    const name = t.node.name;
    // Cordoned this tick, or the cordon has not shown up yet: confirm on a later snapshot that nothing landed.
    if (Date.parse(drain.since) >= now || !t.node.cordoned) return;
    const stopAt = drain.stopRequestedAt ? Date.parse(drain.stopRequestedAt) : undefined;
    if (stopAt !== undefined && now - stopAt < this.policy.stopTimeoutMs) {
      this.skip(`node/${name}`, 'stop-in-progress', `deallocation requested ${drain.stopRequestedAt}; waiting for the VM to stop`);
      return;
    }
    if (!stops.take()) {
      this.skip(`node/${name}`, 'budget-exhausted', `empty and ready to stop: ${stops.explain()}`);
      return;
    }
    const retry = stopAt !== undefined;
    this.memory.drains[name] = { ...drain, stopRequestedAt: iso(now) };
    t.state = 'stopping';
    this.act({
      type: 'stop-node',
      node: name,
      scaler: 'nodes',
      rule: retry ? 'stop-retry' : 'drain-complete-stop',
      reason: retry
        ? `deallocation requested ${drain.stopRequestedAt} has not taken effect after ${formatDuration(this.policy.stopTimeoutMs)}; requesting again`
        : `drained since ${drain.since}: only DaemonSet/mirror pods remain; deallocating the VM (${drain.reason})`,
    });
  }

  // --- output -----------------------------------------------------------------------------------

  private act(action: Action): void {
    this.actions.push(action);
  }

  private skip(target: string, rule: Skip['rule'], reason: string): void {
    this.skipped.push({ scaler: 'nodes', target, rule, reason });
  }
}

function isStopped(node: NodeView): boolean {
  return node.power === 'deallocated' || (!node.ready && node.taints.some((t) => t.key === SHUTDOWN_TAINT));
}

function poolRank(policy: NodePolicy, node: NodeView): number {
  return policy.pools.indexOf(node.pool ?? '');
}
