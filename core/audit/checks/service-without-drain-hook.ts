// 16. A pod behind a Service keeps receiving connections for a moment after it is told to stop
// (endpoints are updated asynchronously): without a preStop delay or a readiness probe, requests
// in flight meet a process that is already exiting.

import { servicesFor } from '../context';
import { allContainers, atTemplate, fixTarget, specPath } from '../workloads';
import { somePods, verdicts, type Check } from './kit';

export const serviceWithoutDrainHook: Check = {
  info: {
    number: 16,
    id: 'service-without-drain-hook',
    title: 'Service-backed pod with neither preStop nor readiness probe',
    severity: 'not-graceful',
    help: "When a pod is evicted, its removal from the Service's endpoints and its SIGTERM happen at the same time; load balancers and kube-proxy catch up a little later. A pod a Service selects that has no preStop hook (a short sleep, so that it stops receiving traffic before it stops serving) and no readiness probe drops requests on every drain. Add a preStop sleep of a few seconds (the sleep action needs Kubernetes >= 1.30; on older clusters exec a sleep) and a readiness probe.",
  },
  workload(w, ctx) {
    const services = servicesFor(ctx, w);
    if (services.length === 0) return [];
    const containers = allContainers(w.template.spec).filter((c) => c.list === 'containers');
    if (
      containers.length === 0 ||
      containers.some((c) => c.container.readinessProbe !== undefined || c.container.lifecycle?.preStop !== undefined)
    )
      return [];
    const first = containers[0]!.container;
    const disrupts = ['disrupts', 'requests in flight are dropped while endpoints still route to it'] as ['disrupts', string];
    return [
      {
        message: `${w.ref.kind} ${w.ref.namespace}/${w.ref.name} serves Service ${services.map((s) => s.metadata.name).join(', ')} with neither a preStop hook nor a readiness probe`,
        evidence: [
          ...services.map((s) => ({
            path: 'spec.selector',
            value: s.spec?.selector,
            object: `Service ${s.metadata.namespace}/${s.metadata.name}`,
          })),
          ...containers.map((c) => ({ path: specPath(w, `containers[name=${c.container.name}].lifecycle.preStop`), value: null })),
          ...containers.map((c) => ({ path: specPath(w, `containers[name=${c.container.name}].readinessProbe`), value: null })),
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
          patch: atTemplate(w, { spec: { containers: [{ name: first.name, lifecycle: { preStop: { sleep: { seconds: 5 } } } }] } }),
          description:
            'wait 5 s before stopping so endpoints catch up (Kubernetes >= 1.30; before that, exec ["sleep", "5"]); add a readiness probe as well',
        },
      },
    ];
  },
};
