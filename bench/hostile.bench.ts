// `npm run bench` (last part): over ten thousand generated hostile requests against every HTTP route,
// to the handlers directly and to the local host over real HTTP. The goal: 0 answers of 5xx, 0 hangs,
// 0 refused requests that changed what is stored. Exits 1 when any is missed.

import { runHostile, tallyLines } from './hostile-requests';

let finished = false;
// A promise nobody settles, with nothing else pending, ends the process quietly: say so, and fail.
process.on('exit', () => {
  if (finished) return;
  console.error('hostile requests: the run ended without finishing (a request or the host never answered)');
  process.exitCode = 1;
});

async function main(): Promise<void> {
  const started = performance.now();
  const tally = await runHostile({ seed: 2026, handlerRuns: 8_000, httpRuns: 4_000 });
  console.log(`\nhostile requests (${((performance.now() - started) / 1000).toFixed(1)} s wall):`);
  for (const line of tallyLines(tally)) console.log(`  ${line}`);
  console.log(`  over HTTP, connections closed without an answer (Node's parser refusing the request): ${tally.unanswered.length}`);
  const met = tally.serverErrors.length === 0 && tally.hangs.length === 0 && tally.stateChanged.length === 0 && tally.requests >= 10_000;
  console.log(`  goal: at least 10,000 requests, 0 5xx, 0 hangs, 0 state changed by a refused request: ${met ? 'met' : 'NOT met'}\n`);
  if (!met) process.exitCode = 1;
  finished = true;
}

main().catch((err: unknown) => {
  finished = true;
  console.error(err);
  process.exitCode = 1;
});
