import { describe, expect, it } from 'vitest';
import { projectPod } from '../../../../adapters/kubernetes/projection/pod';
import type { PodView } from '../../../../core/views';
import { problemsOf } from './problems-of';
import {
  aksPod,
  annotated,
  bare,
  configMapVolume,
  container,
  containerCreating,
  emptyDir,
  grace,
  hostPath,
  initContainer,
  labelled,
  mirrorOf,
  onNode,
  overhead,
  ownedBy,
  pending,
  phase,
  priority,
  requests,
  terminating,
  tolerating,
  unschedulable,
  type RawPod,
} from '../../../builders/aks';

const USER_0 = 'aks-user-27531488-vmss000000';
const MiB = 1024 ** 2;

describe('projectPod', () => {
  const base = (...parts: Parameters<typeof aksPod>[1][]): RawPod =>
    aksPod('web-1', ownedBy('ReplicaSet', 'web-abc'), onNode(USER_0), ...parts);

  it.each<[string, RawPod, Partial<PodView>]>([
    [
      'the sum of the app containers',
      base(requests('100m', '100Mi'), container('sidecar', '50m', '28Mi')),
      { requests: { cpuMilli: 150, memoryBytes: 128 * MiB } },
    ],
    [
      'a larger init container instead',
      base(requests('100m', '100Mi'), initContainer('migrate', '1', '50Mi')),
      { requests: { cpuMilli: 1000, memoryBytes: 100 * MiB } },
    ],
    [
      'native sidecars added to the app containers',
      base(requests('100m', '100Mi'), initContainer('proxy', '50m', '20Mi', { sidecar: true })),
      { requests: { cpuMilli: 150, memoryBytes: 120 * MiB } },
    ],
    [
      'an init container after a sidecar counted with it',
      base(requests('100m', '10Mi'), initContainer('proxy', '50m', '20Mi', { sidecar: true }), initContainer('migrate', '100m', '5Mi')),
      { requests: { cpuMilli: 150, memoryBytes: 30 * MiB } },
    ],
    [
      'the runtime class overhead',
      base(requests('100m', '100Mi'), overhead('250m', '120Mi')),
      { requests: { cpuMilli: 350, memoryBytes: 220 * MiB } },
    ],
    ['no requests as zero', base(requests(undefined, undefined)), { requests: { cpuMilli: 0, memoryBytes: 0 } }],
    ['a bare pod without controller', aksPod('lonely', bare()), { controller: undefined, daemonSet: false }],
    [
      'only the controller among owners',
      base((p) => p.metadata.ownerReferences!.unshift({ apiVersion: 'v1', kind: 'ConfigMap', name: 'x', uid: 'u' })),
      { controller: { kind: 'ReplicaSet', name: 'web-abc' } },
    ],
    [
      'a mirror pod',
      aksPod('etcd-x', { namespace: 'kube-system' }, mirrorOf(USER_0)),
      { mirror: true, controller: { kind: 'Node', name: USER_0 } },
    ],
    ['a terminating pod', base(grace(120), terminating('2026-11-30T00:00:00Z')), { terminating: true, graceSeconds: 120 }],
    [
      'when its grace period ends (the deletionTimestamp)',
      base(grace(120), terminating('2026-11-30T00:00:00Z')),
      { deletingAt: Date.parse('2026-11-30T00:02:00Z') },
    ],
    ["the controller's API group", base(), { controller: { kind: 'ReplicaSet', name: 'web-abc', group: 'apps' } }],
    [
      'the core group as empty',
      aksPod(
        'rc-1',
        (p) => (p.metadata.ownerReferences = [{ apiVersion: 'v1', kind: 'ReplicationController', name: 'rc', uid: 'u', controller: true }]),
      ),
      { controller: { kind: 'ReplicationController', name: 'rc', group: '' } },
    ],
    [
      "a custom DaemonSet's pod by cluster-autoscaler's daemonset-pod annotation",
      aksPod(
        'agent-1',
        (p) =>
          (p.metadata.ownerReferences = [{ apiVersion: 'crd/v1', kind: 'CustomDaemonSet', name: 'agent', uid: 'u', controller: true }]),
        annotated({ 'cluster-autoscaler.kubernetes.io/daemonset-pod': 'true' }),
      ),
      { daemonSet: true, controller: { kind: 'CustomDaemonSet', name: 'agent', group: 'crd' } },
    ],
    [
      'the daemonset-pod annotation only when "true"',
      base(annotated({ 'cluster-autoscaler.kubernetes.io/daemonset-pod': 'yes' })),
      { daemonSet: false },
    ],
    ['the default grace when absent', base((p) => delete p.spec.terminationGracePeriodSeconds), { graceSeconds: 30 }],
    ['a priority', base(priority(-10)), { priority: -10 }],
    ['priority 0 when absent', base(), { priority: 0 }],
    ['a disk emptyDir as local storage', base(emptyDir()), { localStorage: true }],
    ['a memory emptyDir as not local storage', base(emptyDir('Memory')), { localStorage: false }],
    ['a hostPath as local storage', base(hostPath('/var/log')), { localStorage: true }],
    ['a configMap volume as not local storage', base(configMapVolume('settings')), { localStorage: false }],
    [
      'the names of the local volumes, memory ones aside',
      base(emptyDir(), emptyDir('Memory'), hostPath('/var/log'), configMapVolume('settings')),
      { localVolumes: ['scratch-0', 'host-2'] },
    ],
    [
      'a pending pod the scheduler has not seen as schedulable',
      aksPod('p', pending()),
      { phase: 'Pending', node: undefined, unschedulable: false },
    ],
    ['an unschedulable pod', aksPod('p', unschedulable()), { phase: 'Pending', unschedulable: true }],
    ['a pod pulling images on a node', base(containerCreating()), { phase: 'Pending', node: USER_0, unschedulable: false }],
    ['not unschedulable once not Pending', aksPod('p', unschedulable(), phase('Failed')), { phase: 'Failed', unschedulable: false }],
    ['no phase as Pending', base((p) => delete (p.status as { phase?: string }).phase), { phase: 'Pending' }],
    ['an empty nodeName as no node', base((p) => (p.spec.nodeName = '')), { node: undefined }],
    ['a toleration with an empty effect as any effect', base(tolerating({ key: 'k', operator: 'Equal', value: 'v', effect: '' })), {}],
  ])('reads %s', (_case, raw, expected) => {
    expect(projectPod(raw)).toMatchObject(expected);
  });

  it('keeps only the annotations the core reads', () => {
    const kept = {
      'graceful-scaler.io/busy': 'true',
      'cluster-autoscaler.kubernetes.io/safe-to-evict': 'false',
      'cluster-autoscaler.kubernetes.io/safe-to-evict-local-volumes': 'scratch,cache',
      'cluster-autoscaler.kubernetes.io/daemonset-pod': 'true',
      'karpenter.sh/do-not-disrupt': 'true',
      'descheduler.alpha.kubernetes.io/evict': 'true',
      'controller.kubernetes.io/pod-deletion-cost': '-100',
      'kubernetes.io/config.mirror': 'abc',
    };
    const view = projectPod(
      base(annotated({ ...kept, 'kubectl.kubernetes.io/last-applied-configuration': '{"huge":true}', 'prometheus.io/scrape': 'true' })),
    );
    expect(view.annotations).toEqual(kept);
  });

  it('shares the input labels and nodeSelector instead of copying them', () => {
    const raw = base(labelled({ app: 'web' }), (p) => (p.spec.nodeSelector = { 'kubernetes.azure.com/agentpool': 'user' }));
    const view = projectPod(raw);
    expect(view.labels).toBe(raw.metadata.labels);
    expect(view.nodeSelector).toBe(raw.spec.nodeSelector);
  });

  it('shares one frozen empty object for absent labels, annotations and nodeSelector', () => {
    const a = projectPod(aksPod('a', (p) => delete p.metadata.labels));
    const b = projectPod(aksPod('b'));
    expect(a.labels).toBe(b.labels);
    expect(a.annotations).toBe(b.annotations);
    expect(a.nodeSelector).toBe(a.labels);
    expect(Object.isFrozen(a.labels)).toBe(true);
  });

  describe('required node affinity', () => {
    const REQUIRED = 'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution';
    const requiring = (...nodeSelectorTerms: unknown[]) =>
      base((p) => {
        (p.spec as Record<string, unknown>).affinity = {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms },
            preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, preference: { matchExpressions: [] } }],
          },
        };
      });

    it('reads the terms with their expressions and fields, and none when the pod has no required affinity', () => {
      const view = projectPod(
        requiring(
          { matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['japaneast-1'] }] },
          {
            matchExpressions: [
              { key: 'gen', operator: 'Gt', values: ['3'] },
              { key: 'spot', operator: 'DoesNotExist' },
            ],
            matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['n1'] }],
          },
        ),
      );
      expect(view.requiredNodeTerms).toEqual([
        { matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['japaneast-1'] }], matchFields: [] },
        {
          matchExpressions: [
            { key: 'gen', operator: 'Gt', values: ['3'] },
            { key: 'spot', operator: 'DoesNotExist', values: [] },
          ],
          matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['n1'] }],
        },
      ]);
      expect(projectPod(base()).requiredNodeTerms).toBeUndefined();
      // Only a preferred affinity: nothing required.
      const preferredOnly = base((p) => {
        (p.spec as Record<string, unknown>).affinity = { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [] } };
      });
      expect(projectPod(preferredOnly).requiredNodeTerms).toBeUndefined();
    });

    it('shares the terms of pods that carry the same ones', () => {
      const term = { matchExpressions: [{ key: 'pool', operator: 'In', values: ['user'] }] };
      expect(projectPod(requiring(term)).requiredNodeTerms).toBe(projectPod(requiring(term)).requiredNodeTerms);
    });

    it('names each invalid part and the fix', () => {
      expect(
        problemsOf(() =>
          projectPod(
            requiring(
              { matchExpressions: [{ key: 'zone', operator: 'Matches', values: ['1'] }] },
              {
                matchExpressions: [
                  { key: 'zone', operator: 'In' },
                  { key: 'gen', operator: 'Lt', values: ['new'] },
                ],
              },
              { matchFields: [{ key: 'metadata.labels', operator: 'In', values: ['x'] }] },
              'zone=1',
            ),
          ),
        ),
      ).toEqual([
        `${REQUIRED}.nodeSelectorTerms[0].matchExpressions[0].operator: expected In, NotIn, Exists, DoesNotExist, Gt or Lt, got "Matches"`,
        `${REQUIRED}.nodeSelectorTerms[1].matchExpressions[0].values: expected at least one value for In`,
        `${REQUIRED}.nodeSelectorTerms[1].matchExpressions[1].values[0]: expected an integer for Lt, got "new"`,
        `${REQUIRED}.nodeSelectorTerms[2].matchFields[0].key: expected metadata.name (the only field a node selector term may name), got "metadata.labels"`,
        `${REQUIRED}.nodeSelectorTerms[3]: expected an object, got "zone=1"`,
      ]);
      const noTerms = base((p) => {
        (p.spec as Record<string, unknown>).affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: {} } };
      });
      expect(problemsOf(() => projectPod(noTerms))).toEqual([`${REQUIRED}.nodeSelectorTerms: expected an array of node selector terms`]);
    });
  });

  describe('required pod anti-affinity', () => {
    const ANTI = 'spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution';
    const repelling = (...terms: unknown[]) =>
      base((p) => {
        (p.spec as Record<string, unknown>).affinity = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: terms } };
      });
    const byHost = { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'panel' } } };

    it("reads each term's selector, topology key and namespaces: its own list, else the pod's, all for a namespaceSelector", () => {
      const view = projectPod(
        repelling(
          byHost,
          { ...byHost, topologyKey: 'topology.kubernetes.io/zone', namespaces: ['a', 'b'] },
          { ...byHost, namespaceSelector: {} },
          { topologyKey: 'kubernetes.io/hostname', labelSelector: null },
        ),
      );
      const panel = { requirements: [{ key: 'app', operator: 'In', values: ['panel'] }] };
      expect(view.antiAffinity).toEqual([
        { selector: panel, topologyKey: 'kubernetes.io/hostname', namespaces: [view.namespace] },
        { selector: panel, topologyKey: 'topology.kubernetes.io/zone', namespaces: ['a', 'b'] },
        { selector: panel, topologyKey: 'kubernetes.io/hostname', namespaces: undefined },
      ]);
      expect(projectPod(base()).antiAffinity).toBeUndefined();
      // A term with a null selector selects nothing: no anti-affinity at all.
      expect(projectPod(repelling({ topologyKey: 'kubernetes.io/hostname' })).antiAffinity).toBeUndefined();
      expect(projectPod(repelling(byHost)).antiAffinity).toBe(projectPod(repelling(byHost)).antiAffinity);
    });

    it('names each invalid part', () => {
      expect(
        problemsOf(() =>
          projectPod(
            repelling(
              { labelSelector: { matchLabels: { app: 'panel' } } },
              { ...byHost, labelSelector: { matchExpressions: [{ key: 'app', operator: 'Near', values: ['x'] }] } },
              { ...byHost, namespaces: [''] },
              'panel',
            ),
          ),
        ),
      ).toEqual([
        `${ANTI}[0].topologyKey: expected a string`,
        `${ANTI}[1].labelSelector.matchExpressions[0].operator: expected In, NotIn, Exists or DoesNotExist, got "Near"`,
        `${ANTI}[2].namespaces[0]: expected a namespace name, got ""`,
        `${ANTI}[3]: expected an object, got "panel"`,
      ]);
    });
  });

  it('shares identical toleration lists between pods', () => {
    const a = projectPod(aksPod('a'));
    const b = projectPod(aksPod('b'));
    const c = projectPod(aksPod('c', tolerating({ key: 'sku', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' })));
    expect(a.tolerations).toBe(b.tolerations);
    expect(c.tolerations).not.toBe(a.tolerations);
    expect(c.tolerations[2]).toEqual({ key: 'sku', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' });
    expect(projectPod(base(tolerating({ key: 'k', operator: 'Equal', value: 'v', effect: '' }))).tolerations[2]).toEqual({
      key: 'k',
      operator: 'Equal',
      value: 'v',
    });
  });
});
