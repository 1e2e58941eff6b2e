// A start that Azure accepted and then failed leaves the VM deallocated, and the node looks just as
// it did before (a deallocated node and a booting one are both NotReady): the core would wait out its
// start timeout (10 minutes) before asking again, with pods pending all along. The fault soak found
// pods waiting 10 minutes that way. So before planning, the runner asks ARM about each VM it started
// that is not Ready yet, once ARM has had time to report it starting: one still deallocated, with no
// operation in progress, did not start, and is forgotten, so this tick's plan starts another stopped
// VM at once (or this one again, when none is left). One still deallocated with an operation in
// progress has a start that hangs (an accepted start is reported `starting` within the minute): it is
// marked stalled and kept, so the plan does not count it as on its way while pods wait but still
// uncordons the node if it comes up. A VM that is starting or running is left to the timeout as before.

import type { Memory } from '../core/memory';
import { rememberFailedStart } from '../core/nodes';
import type { NodeView } from '../core/views';
import type { Logger, NodeVms } from './ports';

/** Past this, ARM reports an accepted start as `starting` (or the VM as running). */
export const START_OBSERVED_AFTER_MS = 60_000;

export async function forgetFailedStarts(
  memory: Memory,
  nodes: readonly NodeView[],
  vms: NodeVms,
  now: number,
  log: Logger,
): Promise<Memory> {
  const starting = Object.entries(memory.nodes.starting);
  if (starting.length === 0) return memory;
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const failed: string[] = [];
  const stalled: string[] = [];
  await Promise.all(
    starting.map(async ([name, start]) => {
      const node = byName.get(name);
      if (node === undefined || node.ready || node.vm === undefined || now - Date.parse(start.since) < START_OBSERVED_AFTER_MS) return;
      try {
        const state = await vms.state(node);
        if (state.power !== 'deallocated' && state.power !== 'stopped') return;
        if (!state.busy) failed.push(name);
        else if (start.stalled === undefined) stalled.push(name);
      } catch (err) {
        // Unknown: leave it to the start timeout, as without this check.
        log.warn(`the state of node ${name}'s VM could not be read: ${String(err)}`);
      }
    }),
  );
  if (failed.length === 0 && stalled.length === 0) return memory;
  const next: Memory = { ...memory, nodes: { ...memory.nodes, starting: { ...memory.nodes.starting } } };
  for (const name of stalled) {
    // Kept (it may still come up, and is uncordoned then as planned); not counted as on its way.
    next.nodes.starting[name] = { ...memory.nodes.starting[name]!, stalled: new Date(now).toISOString() };
    log.warn(
      `node ${name}: its VM was started ${memory.nodes.starting[name]!.since} but is still deallocated with an operation in progress; the start looks stalled in Azure, so another VM is started beside it while pods wait`,
    );
  }
  for (const name of failed) {
    delete next.nodes.starting[name];
    // Another stopped VM is started first for a while.
    rememberFailedStart(next.nodes, name, now, 'the start failed in Azure: still deallocated');
    log.warn(
      `node ${name}: its VM was started ${memory.nodes.starting[name]!.since} but is still deallocated with no operation in progress; the start failed in Azure and is asked again`,
    );
  }
  return next;
}
