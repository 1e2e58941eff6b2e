// The hostile-request suite, a few hundred generated requests per run (`npm run bench` sends over ten
// thousand): every HTTP route, called directly and through the local host over real HTTP.

import { describe, expect, it } from 'vitest';
import { runHostile, tallyLines } from '../../bench/hostile-requests';

describe('hostile requests', () => {
  it('never get a 5xx or hang, and a refused one changes nothing stored', async () => {
    const tally = await runHostile({ seed: 10, handlerRuns: 500, httpRuns: 300 });
    const summary = tallyLines(tally).join('\n');
    expect(tally.requests, summary).toBe(800);
    expect(tally.serverErrors, summary).toEqual([]);
    expect(tally.hangs, summary).toEqual([]);
    expect(tally.stateChanged, summary).toEqual([]);
    // The suite reaches past the first checks: some requests are stored, some refused for being full.
    expect(tally.byStatus.get('201') ?? 0, summary).toBeGreaterThan(0);
    expect(tally.byStatus.get('400') ?? 0, summary).toBeGreaterThan(0);
  }, 120_000);
});
