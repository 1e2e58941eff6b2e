// 15. The preStop hook runs inside the grace period: a preStop sleep as long as the grace leaves the
// application no time after its SIGTERM (the kubelet adds a one-off 2 s, then kills).

import { graceSeconds } from '../context';
import type { Container } from '../objects';
import { allContainers, atTemplate, fixTarget, specPath } from '../workloads';
import { somePods, verdicts, type Check } from './kit';

/** The seconds a preStop hook sleeps: the sleep action, or an exec of `sleep N` (directly or through a shell). */
export function preStopSleep(c: Container): number | undefined {
  const hook = c.lifecycle?.preStop;
  if (!hook) return undefined;
  if (typeof hook.sleep?.seconds === 'number') return hook.sleep.seconds;
  const command = hook.exec?.command ?? [];
  const text = command.length >= 3 && /(^|\/)(ba|da|a)?sh$/.test(command[0]!) && command[1] === '-c' ? command[2]! : command.join(' ');
  const m = /^(?:\/\w+)*\/?sleep\s+(\d+)(s?)\s*(?:[;&|]|$)/.exec(text.trim());
  return m ? Number(m[1]) : undefined;
}

export const preStopOutlastsGrace: Check = {
  info: {
    number: 15,
    id: 'prestop-outlasts-grace',
    title: 'preStop sleep as long as the grace period',
    severity: 'not-graceful',
    help: 'The preStop hook runs within terminationGracePeriodSeconds, before the container gets SIGTERM. A preStop sleep as long as (or longer than) the grace period means the application is killed without ever being asked to stop. Make the grace period the sleep plus the time the application needs to shut down.',
  },
  workload(w) {
    const grace = graceSeconds(w);
    const hits = allContainers(w.template.spec)
      .map((c) => ({ ...c, sleep: preStopSleep(c.container) }))
      .filter((c) => c.sleep !== undefined && c.sleep >= grace.value);
    if (hits.length === 0) return [];
    const longest = Math.max(...hits.map((h) => h.sleep!));
    const disrupts = ['disrupts', `SIGKILL at ${grace.value} s, while the preStop sleep of ${longest} s still runs`] as [
      'disrupts',
      string,
    ];
    return [
      {
        message: `${w.ref.kind} ${w.ref.namespace}/${w.ref.name}: preStop sleeps ${longest} s of a ${grace.value} s grace period${grace.set ? '' : ' (the default)'}; the application never gets its SIGTERM`,
        evidence: [
          ...hits.map((h) => ({
            path: specPath(w, `${h.list}[name=${h.container.name}].lifecycle.preStop`),
            value: h.container.lifecycle?.preStop,
          })),
          { path: specPath(w, 'terminationGracePeriodSeconds'), value: grace.set ? grace.value : null },
        ],
        pods: somePods(w),
        verdicts: verdicts({
          'graceful-scaler': disrupts,
          'cluster-autoscaler': disrupts,
          karpenter: disrupts,
          descheduler: disrupts,
          drain: disrupts,
        }),
        fix: {
          type: 'strategic',
          target: fixTarget(w),
          patch: atTemplate(w, { spec: { terminationGracePeriodSeconds: longest + 30 } }),
          description: `a grace period of the sleep plus 30 s for the application to stop`,
        },
      },
    ];
  },
};
