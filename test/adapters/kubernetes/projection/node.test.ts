import { describe, expect, it } from 'vitest';
import { parseProviderId, projectNode } from '../../../../adapters/kubernetes/projection/node';
import { aksNode, annotated, deallocated, notReady, providerId, scaleDownDisabled, unreachable } from '../../../builders/aks';

const USER_0 = 'aks-user-27531488-vmss000000';
const GiB = 1024 ** 3;

describe('projectNode', () => {
  it.each([
    ['a Ready node as running', aksNode(USER_0), { ready: true, power: 'running' }],
    ['a shut-down NotReady node as deallocated', aksNode(USER_0, deallocated()), { ready: false, power: 'deallocated', cordoned: true }],
    [
      'a deallocated node that was not cordoned',
      aksNode(USER_0, deallocated(undefined, { cordoned: false })),
      { power: 'deallocated', cordoned: false },
    ],
    ['an unreachable node without the shutdown taint as unknown', aksNode(USER_0, unreachable()), { ready: false, power: 'unknown' }],
    ['a NotReady node as unknown', aksNode(USER_0, notReady()), { ready: false, power: 'unknown' }],
    ['a node without conditions as not ready', aksNode(USER_0, (n) => (n.status.conditions = [])), { ready: false, power: 'unknown' }],
    [
      'the pool from the legacy label when the AKS one is missing',
      aksNode(USER_0, (n) => delete n.metadata.labels!['kubernetes.azure.com/agentpool']),
      { pool: 'user' },
    ],
    ['no pool without either label', aksNode(USER_0, (n) => (n.metadata.labels = {})), { pool: undefined }],
    ['no VM without a providerID', aksNode(USER_0, providerId(undefined)), { vm: undefined }],
    [
      'custom allocatable',
      aksNode(USER_0, { cpu: '7820m', memory: '28Gi', pods: 110 }),
      { allocatable: { cpuMilli: 7820, memoryBytes: 28 * GiB, pods: 110 } },
    ],
    [
      'no allocatable as zero',
      aksNode(USER_0, (n) => delete (n.status as { allocatable?: unknown }).allocatable),
      { allocatable: { cpuMilli: 0, memoryBytes: 0, pods: 0 } },
    ],
  ])('reads %s', (_case, raw, expected) => {
    expect(projectNode(raw)).toMatchObject(expected);
  });

  it('keeps only the annotations the core reads', () => {
    const view = projectNode(
      aksNode(
        USER_0,
        scaleDownDisabled(),
        annotated({ 'graceful-scaler.io/drain': 'since 2026-11-30', 'karpenter.sh/do-not-disrupt': 'true', 'other.io/x': 'y' }),
      ),
    );
    expect(view.annotations).toEqual({
      'cluster-autoscaler.kubernetes.io/scale-down-disabled': 'true',
      'graceful-scaler.io/drain': 'since 2026-11-30',
      'karpenter.sh/do-not-disrupt': 'true',
    });
  });

  it('keeps taint values', () => {
    const view = projectNode(aksNode(USER_0, (n) => (n.spec.taints = [{ key: 'sku', value: 'gpu', effect: 'NoSchedule' }])));
    expect(view.taints).toEqual([{ key: 'sku', value: 'gpu', effect: 'NoSchedule' }]);
  });
});

describe('parseProviderId', () => {
  const prefix = 'azure:///subscriptions/s1/resourceGroups/rg1/providers/Microsoft.Compute';
  it.each([
    [
      'a scale-set instance',
      `${prefix}/virtualMachineScaleSets/vmss1/virtualMachines/12`,
      { subscription: 's1', resourceGroup: 'rg1', scaleSet: 'vmss1', instanceId: '12' },
    ],
    [
      'path segments in any case',
      'azure:///SUBSCRIPTIONS/s1/resourcegroups/rg1/PROVIDERS/microsoft.compute/VirtualMachineScaleSets/vmss1/VIRTUALMACHINES/3',
      { subscription: 's1', resourceGroup: 'rg1', scaleSet: 'vmss1', instanceId: '3' },
    ],
    ['not an availability-set VM', `${prefix}/virtualMachines/aks-agentpool-1`, undefined],
    ['not another cloud', 'aws:///eu-west-1a/i-0123', undefined],
    ['not a truncated id', `${prefix}/virtualMachineScaleSets/vmss1`, undefined],
    ['not extra segments', `${prefix}/virtualMachineScaleSets/vmss1/virtualMachines/3/extra`, undefined],
  ])('reads %s', (_case, id, expected) => {
    expect(parseProviderId(id)).toEqual(expected);
  });
});
