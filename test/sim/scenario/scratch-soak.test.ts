import { it } from 'vitest';
import { runSoak, soakReport } from '../../../sim/scenario/soak';
it('scratch', async () => {
  const days = Number(process.env.DAYS ?? 3);
  const s = { faults: Number(process.env.F ?? 0.1), crashes: Number(process.env.C ?? 0.05), seed: Number(process.env.SEED ?? 1) };
  const r = await runSoak({ days, ...s });
  console.log(soakReport(r, s));
}, 600_000);
