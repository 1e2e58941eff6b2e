// The simulation report's content: the result said first in words and money from the run's own
// figures, waits, evictions and interruptions per strategy on each strategy's scale, what went wrong
// grouped by kind with complete counts, and every time in the policy's zone.

import { describe, expect, it } from 'vitest';
import type { NodeCost } from '../../../core/policy';
import { costOf, formatMoney } from '../../../sim/scenario/money';
import { htmlReport } from '../../../sim/scenario/report';
import { smallMultiples, yScale } from '../../../sim/scenario/report-charts';
import { groupFailures } from '../../../sim/scenario/report-failures';
import { resultInWords } from '../../../sim/scenario/report-story';
import {
  buildResult,
  interrupted,
  oracleHours,
  pendingSpike,
  RESULT_START,
  userHours,
  violating,
  violationsOf,
  waits,
} from '../../builders/simulation-result';

const PRICES: NodeCost = { currency: 'JPY', vmHour: { user: 42 }, deallocatedDiskHour: { user: 4.7 } };
const HOUR = 3_600_000;

/** The reference week's shape: graceful-scaler, static peak, and a cheaper policy that interrupts. */
function week() {
  return [
    buildResult('graceful-scaler', userHours(3158), oracleHours(1930), waits(37, 1.5)),
    buildResult('static peak', userHours(9576)),
    buildResult('cluster-autoscaler-like', userHours(2366), interrupted(311), waits(1270, 1.5)),
    buildResult('karpenter-like', userHours(2751), waits(930, 2)),
    buildResult('manual night stop', userHours(5782), interrupted(74)),
  ];
}

const text = (html: string) => html.replace(/<[^>]+>/g, '');

describe('the result in words', () => {
  it("says graceful-scaler's node-hours against static peak and the oracle, its cost and savings, from the run's figures", () => {
    const results = week();
    const words = resultInWords(results, PRICES);
    const saved = costOf(results[1]!.poolHours, PRICES).total - costOf(results[0]!.poolHours, PRICES).total;
    expect(words).toContain(
      `graceful-scaler used 3,158 user node-hours, 33% of static peak's 9,576 (1.64× the oracle lower bound of 1,930)`,
    );
    expect(words).toContain(`cost ${formatMoney(3158 * 42, 'JPY')}: ${formatMoney(saved, 'JPY')} saved against static peak (67%)`);
    expect(words).toContain(
      'It interrupted nothing; no pod waited longer than 1.5 min for a node, and BG jobs waited 37 s at the 95th percentile.',
    );
  });

  it('names each strategy that used less, and what it paid for it', () => {
    const words = resultInWords(week(), PRICES);
    const caSaved = formatMoney((9576 - 2366) * 42, 'JPY');
    expect(words).toContain(`cluster-autoscaler-like used less (2,366 user node-hours, ${caSaved} saved) but interrupted 311 BG jobs.`);
    expect(words).toContain('karpenter-like used less (2,751 user node-hours');
    expect(words).toContain('and interrupted nothing, but its BG jobs waited 930 s at the 95th percentile and a pod waited up to 2.0 min.');
    expect(words).toContain('Used more node-hours: manual night stop.');
  });

  it('follows the figures: more node-hours and interruptions change the sentence', () => {
    const words = resultInWords(
      [buildResult('graceful-scaler', userHours(500), interrupted(2, 1)), buildResult('static peak', userHours(1000))],
      undefined,
    );
    expect(words).toContain('graceful-scaler used 500 user node-hours, 50% of static peak');
    expect(words).toContain('It interrupted 2 BG jobs and 1 batch Job;');
    expect(words).not.toMatch(/cost|saved/);
  });
});

describe('failures grouped by kind', () => {
  it('counts every violation of each kind, the most frequent first, with the first examples in time order', () => {
    const stopped = violationsOf('stopped-with-workload', 167, RESULT_START + HOUR);
    const below = violationsOf('below-minimum', 59, RESULT_START);
    const groups = groupFailures([...stopped].reverse().concat(below));
    expect(groups.map((g) => [g.kind, g.count])).toEqual([
      ['stopped-with-workload', 167],
      ['below-minimum', 59],
    ]);
    expect(groups[0]!.first.map((v) => v.detail)).toEqual([
      'stopped-with-workload number 1',
      'stopped-with-workload number 2',
      'stopped-with-workload number 3',
    ]);
  });
});

describe('the HTML report', () => {
  const results = week();
  violating(
    ...violationsOf('stopped-with-workload', 167, Date.parse('2026-11-24T12:15:00Z')),
    ...violationsOf('below-minimum', 59, RESULT_START),
  )(results[2]!);
  const html = htmlReport(results, { title: 'simulated comparison', details: [], timezone: 'Asia/Tokyo', prices: PRICES });

  it('opens with the result in words, before any table', () => {
    const lead = /<p class="lead" id="result">([^<]*)<\/p>/.exec(html);
    expect(lead?.[1]).toBe(resultInWords(results, PRICES));
    expect(html.indexOf('id="result"')).toBeLessThan(html.indexOf('<table'));
  });

  it('heads the failures as what went wrong with each strategy, with counts that are not cut', () => {
    expect(html).not.toContain('Invariant violations');
    expect(html).toContain('What went wrong with each strategy');
    const ca = /<div class="failures" data-strategy="cluster-autoscaler-like">(.*?)<\/div>/s.exec(html)![1]!;
    expect(ca).toContain('311 BG jobs interrupted');
    expect(ca).toContain('data-kind="stopped-with-workload" data-count="167"');
    expect(text(ca)).toContain('167 × a VM stopped with workload pods still on it');
    expect(text(ca)).toContain('and 164 more');
    expect(ca).toContain('data-kind="below-minimum" data-count="59"');
    const graceful = /<div class="failures" data-strategy="graceful-scaler">(.*?)<\/div>/s.exec(html)![1]!;
    expect(text(graceful)).toBe('graceful-scalerNothing went wrong: no invariant broken, nothing interrupted.');
  });

  it("gives times in the policy's zone, with the weekday", () => {
    // 12:15 UTC is 21:15 in Tokyo, on the same Tuesday.
    expect(html).toContain('<time>Tue 2026-11-24 21:15</time> stopped-with-workload number 1');
    expect(html).toContain('times are Asia/Tokyo');
    expect(html).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d/);
  });

  it('plots pending pods, BG waits, evictions and interruptions with one panel per strategy', () => {
    for (const id of ['pending', 'bg-wait', 'evictions', 'interruptions']) {
      const section = new RegExp(`<section class="multiples" id="${id}">(.*?)</section>`, 's').exec(html)![1]!;
      expect([...section.matchAll(/class="panel" data-strategy="([^"]+)"/g)].map((m) => m[1])).toEqual(results.map((r) => r.strategy));
    }
  });

  it('draws every plot at the width of its container, not a fixed one', () => {
    expect(html).not.toMatch(/<svg[^>]* width="\d/);
    expect([...html.matchAll(/<svg /g)].length).toBe([...html.matchAll(/style="width:100%;height:auto;display:block"/g)].length);
    expect(html).toContain('<meta name="viewport"');
  });
});

describe('small multiples', () => {
  it("gives each strategy its own scale, so a small queue is not flattened by another strategy's spike", () => {
    const small = buildResult('graceful-scaler', pendingSpike(10, 3));
    const big = buildResult('manual night stop', pendingSpike(20, 400));
    const huge = buildResult('karpenter-like', pendingSpike(30, 41_000));
    const html = smallMultiples(
      'Pods pending',
      '',
      [small, big, huge].map((r) => ({
        name: r.strategy,
        colour: '#000',
        points: r.samples.map((s) => [s.at, s.pendingPods] as const),
        note: '',
      })),
      { timezone: 'Asia/Tokyo', id: 'pending' },
    );
    const topLabel = (name: string) => {
      const panel = new RegExp(`data-strategy="${name}">(.*?)</svg>`, 's').exec(html)![1]!;
      return Math.max(
        ...[...panel.matchAll(/text-anchor="end">([\d,]+)(k?)</g)].map((m) => Number(m[1]!.replace(/,/g, '')) * (m[2] ? 1000 : 1)),
      );
    };
    expect(topLabel('graceful-scaler')).toBe(3);
    expect(topLabel('manual night stop')).toBe(400);
    expect(topLabel('karpenter-like')).toBe(50_000);
  });

  it.each([
    [0, 1, 1],
    [3, 3, 1],
    [46, 50, 10],
    [178, 200, 50],
    [10_300, 15_000, 5_000],
  ])('scales %d to a top of %d in steps of %d', (value, max, step) => {
    expect(yScale(value)).toEqual({ max, step });
  });
});

describe('pre-warming in the report', () => {
  const meta = { title: 'simulated comparison', details: [], timezone: 'Asia/Tokyo' };
  const TITLE = 'Pre-warming: the learned forecast for the coming quarter hour';

  it('plots the forecast against the nodes running once the scaler has learned one', () => {
    const learned = buildResult('graceful-scaler', (r) => {
      r.samples = r.samples.map((s, k) => (k > 3 ? { ...s, forecastNodes: 7 } : s));
    });
    const html = htmlReport([learned, buildResult('static peak')], meta);
    expect(html).toContain(TITLE);
    expect(text(html)).toContain('forecast (nodes the load needed in the coming quarter hour, as learned)');
  });

  it('leaves the chart out when pre-warming never forecast anything', () => {
    expect(htmlReport([buildResult('graceful-scaler'), buildResult('static peak')], meta)).not.toContain(TITLE);
  });
});
