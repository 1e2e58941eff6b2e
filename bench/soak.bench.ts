// `npm run bench` (fourth part): the fault soak over SOAK_DAYS simulated days (default 1,000), in runs
// of 50 days with seeds SOAK_SEED, SOAK_SEED + 1, … (default 1; a fresh cluster each), at 10 % faults
// and 5 % crashes; prints days, faults by kind and violations by kind with the first example of each
// (and, as it goes, each seed's first example of each kind).
// Two processes with SOAK_DAYS=500 and SOAK_SEED=1 and 11 cover the same 1,000 days on two cores.

import { Tally } from '../sim/scenario/faults';
import { runSoak } from '../sim/scenario/soak';

const CHUNK_DAYS = 50;

async function main(): Promise<void> {
  const total = Number(process.env.SOAK_DAYS ?? 1000);
  const faults = new Tally();
  const violations = new Tally();
  let days = 0;
  let ticks = 0;
  const began = performance.now();
  for (let seed = Number(process.env.SOAK_SEED ?? 1); days < total; seed++) {
    const chunk = Math.min(CHUNK_DAYS, total - days);
    const r = await runSoak({ days: chunk, faults: 0.1, crashes: 0.05, seed });
    for (const row of r.faults) for (let i = 0; i < row.count; i++) faults.add(row.kind, `seed ${seed}: ${row.first}`);
    for (const row of r.violations) for (let i = 0; i < row.count; i++) violations.add(row.kind, `seed ${seed}: ${row.first}`);
    days += chunk;
    ticks += r.ticks;
    console.log(`  soak: ${days}/${total} days, ${((performance.now() - began) / 1000 / days).toFixed(2)} s wall per simulated day`);
    // Each seed's own first example: the trail to replay when one seed's event hides another's.
    for (const row of r.violations) console.log(`    seed ${seed}: ${row.count} ${row.kind}, first: ${row.first}`);
  }
  console.log(`\nfault soak: ${days} simulated days, ${ticks} ticks, ${((performance.now() - began) / 1000).toFixed(0)} s wall`);
  console.log(`faults injected: ${faults.total()}`);
  for (const row of faults.rows()) console.log(`  ${row.kind.padEnd(20)} ${String(row.count).padStart(9)}   first: ${row.first}`);
  console.log(`violations: ${violations.total()}`);
  for (const row of violations.rows()) console.log(`  ${row.kind.padEnd(20)} ${String(row.count).padStart(9)}   first: ${row.first}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
