// `npm run bench` (third part): the simulated reference week on a 60-node user pool under the four
// strategies, with the wall time of each; the target is a week of graceful-scaler in <= 10 s on 2 cores.

import { summaryTable } from '../sim/scenario/report';
import { runSimulation, simPolicy, type SimulationResult } from '../sim/scenario/simulation';
import { STRATEGIES } from '../sim/scenario/strategies';
import { referenceTraffic } from '../sim/scenario/traffic';

const TARGET_MS = 10_000;

async function main(): Promise<void> {
  const policy = simPolicy();
  const traffic = referenceTraffic({ days: 7, seed: 1 });
  const results: SimulationResult[] = [];
  for (const make of STRATEGIES) results.push(await runSimulation({ traffic, policy, strategy: make(), seed: 1 }));
  console.log(`\nthe simulated reference week (7 days, 30 s steps, user pool of ${policy.nodes?.maxNodes ?? '?'} VMs):`);
  for (const r of results) console.log(`  ${r.strategy.padEnd(24)} ${(r.wallMs / 1000).toFixed(2)} s wall`);
  const graceful = results[0]!;
  console.log(`  target: graceful-scaler's week <= ${TARGET_MS / 1000} s ${graceful.wallMs <= TARGET_MS ? 'met' : 'NOT met'}\n`);
  console.log(summaryTable(results));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
