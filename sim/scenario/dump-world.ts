// The simulated world built from a person's cluster dump (cluster-dump.ts) instead of the reference
// cluster: its pools with their names, VM sizes, max pods, labels and taints, its Deployments, PDBs and
// running Job pods. The traffic drives two of its Deployments as it drives the reference ones: the
// request rate scales clomo/mdm (as its HPA would), BG jobs go to the policy's worker Deployment; the
// rate is scaled so that the trace's mean asks for the replicas the dump shows. Each choice is a note.

import type { Policy, WorkerPolicy } from '../../core/policy';
import type { AgentPoolSpec } from '../azure/agent-pools';
import type { SimCluster } from '../model/cluster';
import type { Affinity } from '../model/objects';
import { DumpError, type ClusterDump, type DumpWorkload } from './cluster-dump';
import type { Traffic } from './traffic';
import { BATCH_LABEL, DEFAULT_WORKLOADS, NAMESPACE, USER_POOL, type WorkloadShape } from './world';

/** The Deployment the request rate scales, as in the reference cluster (NAMESPACE/mdm; world.ts imports this file, so read at call time). */
const trafficDeployment = () => ({ namespace: NAMESPACE, name: 'mdm' });
const JOB_REMAINING_MS = 60 * 60_000;

function find(dump: ClusterDump, namespace: string, name: string): DumpWorkload | undefined {
  return dump.workloads.find((w) => w.namespace === namespace && w.name === name);
}

/** Refuses a dump the simulator cannot drive, naming what is missing and how to fix it; notes what it adapts. */
export function checkDump(
  dump: ClusterDump,
  policy: Policy,
  traffic: Traffic,
): { shape: WorkloadShape; traffic: Traffic; notes: string[] } {
  const notes: string[] = [];
  const pools = dump.pools.map((p) => p.name);
  const managed = policy.nodes?.pools ?? [];
  const missing = managed.filter((p) => !pools.includes(p));
  if (missing.length > 0)
    throw new DumpError(
      `the policy scales pool(s) ${missing.join(', ')}, which the dump does not hold; its pools: ${pools.join(', ')} (set nodes.pools with --policy)`,
    );
  if (!managed.includes(USER_POOL))
    throw new DumpError(`the simulator measures the scaled pool under the name "${USER_POOL}"; this dump's pools: ${pools.join(', ')}`);
  const mdm = find(dump, trafficDeployment().namespace, trafficDeployment().name);
  if (mdm === undefined)
    throw new DumpError(
      `the trace's request rate scales Deployment ${NAMESPACE}/mdm, which the dump does not hold (Deployments: ${dump.workloads.map((w) => `${w.namespace}/${w.name}`).join(', ') || 'none'})`,
    );
  const worker = policy.workers[0];
  if (worker !== undefined && find(dump, worker.namespace, worker.deployment) === undefined)
    throw new DumpError(`the policy's workers scale Deployment ${worker.namespace}/${worker.deployment}, which the dump does not hold`);
  if (worker !== undefined && (worker.namespace !== NAMESPACE || worker.deployment !== 'bg'))
    throw new DumpError(
      `the simulator's BG jobs run on ${NAMESPACE}/bg; the policy's worker Deployment is ${worker.namespace}/${worker.deployment}`,
    );

  const scaled = dump.pools.find((p) => p.name === USER_POOL)!;
  const maxNodes = policy.nodes?.maxNodes ?? scaled.count;
  if (maxNodes > scaled.count)
    notes.push(
      `pool ${USER_POOL}: ${scaled.count} VM(s) in the dump; grown to the policy's maxNodes (${maxNodes}) or the traffic's static peak with deallocated VMs, as the reference pool, so every strategy can start what it needs (their disks are billed in the cost table)`,
    );
  let total = 0;
  for (const rps of traffic.mdmRps) total += rps;
  const mean = total / Math.max(1, traffic.mdmRps.length);
  const rpsPerMdmPod = mean / Math.max(1, mdm.replicas);
  notes.push(
    `traffic scaled to the dump: the trace's mean request rate (${mean.toFixed(0)} rps) asks for ${NAMESPACE}/mdm's ${mdm.replicas} replica(s) in the dump, ${rpsPerMdmPod.toFixed(1)} rps each; BG jobs arrive as the trace has them`,
  );
  let batch = traffic;
  if (!dump.pools.some((p) => p.labels?.[BATCH_LABEL] !== undefined) && traffic.batchStarts.length > 0) {
    notes.push(`no pool labelled ${BATCH_LABEL}: the trace's daily batch Job is not started (it would never schedule)`);
    batch = { ...traffic, batchStarts: [] };
  }
  notes.push("the oracle bound counts the reference workloads' requests for MDM and BG pods, not the dump's");
  return { shape: { ...DEFAULT_WORKLOADS, rpsPerMdmPod, mdmMin: 1, panelReplicas: 0 }, traffic: batch, notes };
}

/**
 * The dump's pools as the model takes them; the scaled pool holds at least `poolSize` VMs, the ones
 * the dump lacks deallocated (as the reference pool, so every strategy can start what it needs).
 */
export function dumpPools(dump: ClusterDump, poolSize: number): { specs: AgentPoolSpec[]; running: Map<string, number> } {
  const running = new Map<string, number>();
  const specs = dump.pools.map(({ running: up, ...spec }) => {
    running.set(spec.name, up);
    return spec.name === USER_POOL ? { ...spec, count: Math.max(spec.count, poolSize) } : spec;
  });
  return { specs, running };
}

/** The dump's Deployments (the two the traffic drives with their replicas set by it), PDBs and Job pods. */
export function addDumpWorkloads(
  cluster: SimCluster,
  dump: ClusterDump,
  replicas: { mdm: number; bg: number },
  worker: WorkerPolicy | undefined,
): void {
  for (const w of dump.workloads) {
    const labels = { ...w.labels };
    // The model selects a Deployment's pods by `app: <name>`.
    if (labels.app !== undefined) delete labels.app;
    const role =
      w.namespace === trafficDeployment().namespace && w.name === trafficDeployment().name
        ? replicas.mdm
        : worker !== undefined && w.namespace === worker.namespace && w.name === worker.deployment
          ? replicas.bg
          : w.replicas;
    cluster.addDeployment({
      name: w.name,
      namespace: w.namespace,
      replicas: role,
      cpu: w.cpu,
      memory: w.memory,
      grace: w.grace,
      labels,
      ...(w.nodeSelector ? { nodeSelector: w.nodeSelector } : {}),
      ...affinityOf(w),
      ...(w.tolerations ? { tolerations: w.tolerations } : {}),
    });
  }
  for (const pdb of dump.pdbs) cluster.addPdb(pdb);
  for (const job of dump.jobPods) {
    const tolerations = dump.pools
      .filter((p) => Object.entries(job.nodeSelector ?? {}).every(([k, v]) => p.labels?.[k] === v))
      .flatMap((p) => (p.taints ?? []).map((t) => (typeof t === 'string' ? t : `${t.key}=${t.value}:${t.effect}`)));
    cluster.addJobPod({
      job: job.job,
      namespace: job.namespace,
      cpu: job.cpu,
      memory: job.memory,
      runsForMs: JOB_REMAINING_MS,
      ...(job.nodeSelector ? { nodeSelector: job.nodeSelector } : {}),
      ...(tolerations.length > 0 ? { tolerations: tolerations.map(parseToleration) } : {}),
    });
  }
}

function parseToleration(taint: string): {
  key: string;
  operator: 'Equal';
  value?: string;
  effect: 'NoSchedule' | 'NoExecute' | 'PreferNoSchedule';
} {
  const [keyValue, effect] = taint.split(':') as [string, string];
  const [key, value] = keyValue.split('=') as [string, string | undefined];
  return { key, operator: 'Equal', ...(value !== undefined ? { value } : {}), effect: effect as 'NoSchedule' };
}

/** The pod template's affinity from what the dump kept of it; undefined parts left out. */
function affinityOf(w: DumpWorkload): { affinity?: Affinity } {
  const nodeAffinity = {
    ...(w.requiredNodeAffinity ? { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: w.requiredNodeAffinity } } : {}),
    ...(w.preferredNodeAffinity ? { preferredDuringSchedulingIgnoredDuringExecution: w.preferredNodeAffinity } : {}),
  };
  const affinity: Affinity = {
    ...(Object.keys(nodeAffinity).length > 0 ? { nodeAffinity } : {}),
    ...(w.podAntiAffinity ? { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: w.podAntiAffinity } } : {}),
  };
  return Object.keys(affinity).length > 0 ? { affinity } : {};
}
