// 9. A pod with nowhere else to run: only one node fits it, or it takes one node each (a hostPort,
// a required anti-affinity to itself per hostname) and every fitting node already has one.
// cluster-autoscaler's simulation finds no place for it (NoPlaceToMovePods) and keeps the node.

import { selectorOf } from '../context';
import { matchesSelector } from '../../selector';
import { fits, schedulableNodes } from '../node-fit';
import { atTemplate, fixTarget, livePods, specPath, type Workload } from '../workloads';
import { isEvicted, somePods, verdicts, type Check, type Draft } from './kit';

const HOSTNAME = 'kubernetes.io/hostname';

interface OnePerNode {
  why: string;
  path: string;
  value: unknown;
  fix: Record<string, unknown>;
  fixText: string;
}

function onePerNode(w: Workload): OnePerNode | undefined {
  const spec = w.template.spec;
  const anti = spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [];
  const selfTerm = anti.find(
    (t) =>
      t.topologyKey === HOSTNAME &&
      (() => {
        const s = selectorOf(t.labelSelector);
        return s !== undefined && matchesSelector(s, w.template.metadata.labels);
      })(),
  );
  if (selfTerm) {
    return {
      why: 'a required pod anti-affinity to its own pods per node',
      path: specPath(w, 'affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution'),
      value: anti,
      fix: atTemplate(w, {
        spec: {
          affinity: {
            podAntiAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: null,
              preferredDuringSchedulingIgnoredDuringExecution: anti.map((podAffinityTerm) => ({ weight: 100, podAffinityTerm })),
            },
          },
        },
      }),
      fixText: 'make the anti-affinity preferred: the scheduler still spreads the pods, and a drain has somewhere to put one',
    };
  }
  for (const [list, containers] of [
    ['containers', spec.containers ?? []],
    ['initContainers', spec.initContainers ?? []],
  ] as const) {
    for (const c of containers) {
      const port = (c.ports ?? []).find((p) => typeof p.hostPort === 'number' && p.hostPort > 0);
      if (port) {
        return {
          why: `hostPort ${port.hostPort} in container ${c.name}`,
          path: specPath(w, `${list}[name=${c.name}].ports[containerPort=${port.containerPort}].hostPort`),
          value: port.hostPort,
          fix: atTemplate(w, { spec: { [list]: [{ name: c.name, ports: [{ containerPort: port.containerPort, hostPort: null }] }] } }),
          fixText: 'reach it through a Service instead of a hostPort',
        };
      }
    }
  }
  return undefined;
}

export const nowhereToMove: Check = {
  info: {
    number: 9,
    id: 'nowhere-to-move',
    title: 'Nowhere to move the pod',
    severity: 'blocks',
    help: 'A pod that fits only one node (its nodeSelector, required node affinity or tolerations), or that takes a node of its own (a hostPort, a required pod anti-affinity to itself on kubernetes.io/hostname) with as many replicas as fitting nodes, has nowhere to go when its node drains. cluster-autoscaler keeps the node (NoPlaceToMovePods); kubectl drain evicts it into Pending; Karpenter launches a node for it first. Widen the placement, or make the spreading preferred.',
  },
  workload(w, ctx) {
    if (!isEvicted(w)) return [];
    const ready = schedulableNodes(ctx.objects.nodes);
    if (ready.length < 2) return [];
    const spec = w.template.spec;
    const fitting = ready.filter((n) => fits(spec, n));
    const replicas = w.replicas ?? Math.max(1, livePods(w).length);
    const one = onePerNode(w);
    const base = {
      pods: somePods(w),
      verdicts: verdicts({
        'graceful-scaler': ['disrupts', 'evicts it; it stays Pending until a fitting node is started or added'],
        'cluster-autoscaler': ['refuses', 'NoPlaceToMovePods: the node is not scaled down'],
        karpenter: ['ok', 'launches a node that fits before it drains'],
        descheduler: ['disrupts', 'evicts it unless nodeFit is set; it stays Pending'],
        drain: ['disrupts', "kubectl drain leaves it Pending; an AKS upgrade's surge node may take it"],
      }),
    };
    const out: Draft[] = [];
    if (fitting.length <= 1) {
      const narrowed = spec.nodeSelector !== undefined || spec.affinity?.nodeAffinity !== undefined;
      out.push({
        ...base,
        message: `${w.ref.kind} ${w.ref.namespace}/${w.ref.name} fits ${fitting.length === 0 ? 'no' : 'only one'} of the ${ready.length} schedulable nodes${fitting[0] ? ` (${fitting[0].metadata.name})` : ''}`,
        evidence: [
          { path: specPath(w, 'nodeSelector'), value: spec.nodeSelector ?? null },
          { path: specPath(w, 'affinity.nodeAffinity'), value: spec.affinity?.nodeAffinity ?? null },
          { path: 'nodes that fit', value: fitting.map((n) => n.metadata.name) },
        ],
        ...(narrowed
          ? {
              fix: {
                type: 'strategic' as const,
                target: fixTarget(w),
                patch: atTemplate(w, {
                  spec: {
                    ...(spec.nodeSelector ? { nodeSelector: null } : {}),
                    ...(spec.affinity?.nodeAffinity ? { affinity: { nodeAffinity: null } } : {}),
                  },
                }),
                description: 'drop the node constraint (or label more nodes so that at least two fit)',
              },
            }
          : {}),
      });
    } else if (one && replicas >= fitting.length) {
      out.push({
        ...base,
        message: `${w.ref.kind} ${w.ref.namespace}/${w.ref.name} runs ${replicas} pod(s) with ${one.why}, and only ${fitting.length} nodes fit: a drained pod has no free node`,
        evidence: [
          { path: one.path, value: one.value },
          { path: 'replicas', value: replicas },
          { path: 'nodes that fit', value: fitting.map((n) => n.metadata.name) },
        ],
        fix: { type: 'strategic', target: fixTarget(w), patch: one.fix, description: one.fixText },
      });
    }
    return out;
  },
};
