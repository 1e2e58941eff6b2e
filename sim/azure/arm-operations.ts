// The long-running operations of the ARM test endpoint. ARM answers a start, deallocate or agent-pool
// PUT at once and reports progress at an operation-status URL (`Azure-AsyncOperation`); here an
// operation stays `InProgress` for a set number of status polls, so a test controls exactly how long
// the SDK's poller works, independent of wall-clock time.

export type OperationProvider = 'Microsoft.Compute' | 'Microsoft.ContainerService';

export type OperationFailure = { code: string; message: string; httpStatus: number };

export interface ArmOperation {
  readonly id: string;
  readonly provider: OperationProvider;
  /** What was asked, for messages: `deallocate`, `start`, `updateAgentPool`. */
  readonly name: string;
  /** What the operation holds busy (`vm:<scaleSet>/<id>`, `pool:<name>`): a second change gets 409. */
  readonly targets: readonly string[];
  readonly startTime: string;
  status: 'InProgress' | 'Succeeded' | 'Failed';
  endTime: string | undefined;
  readonly failure: OperationFailure | undefined;
  pollsLeft: number;
  /** Runs once when the operation ends, whichever way. */
  readonly onFinish: ((op: ArmOperation) => void) | undefined;
}

export interface BeginOperation {
  provider: OperationProvider;
  name: string;
  targets: readonly string[];
  failure?: OperationFailure;
  onFinish?: (op: ArmOperation) => void;
}

export class ArmOperations {
  private readonly byId = new Map<string, ArmOperation>();
  private next = 1;

  /** @param polls how many status polls answer `InProgress`; the next one sees the operation end */
  constructor(private readonly polls: number) {}

  begin(spec: BeginOperation): ArmOperation {
    const id = `00000000-0000-4000-8000-${(this.next++).toString(16).padStart(12, '0')}`;
    const op: ArmOperation = {
      id,
      provider: spec.provider,
      name: spec.name,
      targets: spec.targets,
      startTime: new Date().toISOString(),
      status: 'InProgress',
      endTime: undefined,
      failure: spec.failure,
      pollsLeft: this.polls,
      onFinish: spec.onFinish,
    };
    this.byId.set(id, op);
    return op;
  }

  get(id: string): ArmOperation | undefined {
    return this.byId.get(id.toLowerCase());
  }

  /** The operation in progress holding this target busy, if any. */
  running(target: string): ArmOperation | undefined {
    for (const op of this.byId.values()) {
      if (op.status === 'InProgress' && op.targets.includes(target)) return op;
    }
    return undefined;
  }

  /** One status poll: answers InProgress while polls are left, then ends the operation. */
  poll(op: ArmOperation): ArmOperation {
    if (op.status !== 'InProgress') return op;
    if (op.pollsLeft <= 0) this.finish(op);
    else op.pollsLeft -= 1;
    return op;
  }

  /** Ends every operation still in progress, as if their time had passed. */
  settle(): void {
    for (const op of this.byId.values()) if (op.status === 'InProgress') this.finish(op);
  }

  all(): readonly ArmOperation[] {
    return [...this.byId.values()];
  }

  private finish(op: ArmOperation): void {
    op.status = op.failure === undefined ? 'Succeeded' : 'Failed';
    op.endTime = new Date().toISOString();
    op.onFinish?.(op);
  }
}

/** The body of an operation-status answer, as Compute and AKS write it. */
export function operationStatusJson(op: ArmOperation): Record<string, unknown> {
  return {
    name: op.id,
    startTime: op.startTime,
    status: op.status,
    ...(op.endTime !== undefined ? { endTime: op.endTime } : {}),
    ...(op.status === 'Failed' && op.failure !== undefined ? { error: { code: op.failure.code, message: op.failure.message } } : {}),
  };
}
