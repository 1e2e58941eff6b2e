// The VM sizes the simulated agent pools offer, with what AKS leaves allocatable on each.

export interface VmSize {
  capacity: { cpu: string; memory: string };
  /** What AKS leaves to pods after kube-reserved, system-reserved and the eviction threshold. */
  allocatable: { cpu: string; memory: string };
}

export const VM_SIZES: Readonly<Record<string, VmSize>> = {
  Standard_D2s_v5: { capacity: { cpu: '2', memory: '8131288Ki' }, allocatable: { cpu: '1900m', memory: '5530840Ki' } },
  Standard_D4s_v5: { capacity: { cpu: '4', memory: '16365040Ki' }, allocatable: { cpu: '3860m', memory: '12880000Ki' } },
  Standard_D8s_v5: { capacity: { cpu: '8', memory: '32864508Ki' }, allocatable: { cpu: '7820m', memory: '28595452Ki' } },
  Standard_D16s_v5: { capacity: { cpu: '16', memory: '65844068Ki' }, allocatable: { cpu: '15740m', memory: '60282692Ki' } },
  Standard_E4s_v5: { capacity: { cpu: '4', memory: '32864508Ki' }, allocatable: { cpu: '3860m', memory: '28595452Ki' } },
};

export const DEFAULT_VM_SIZE = 'Standard_D4s_v5';
