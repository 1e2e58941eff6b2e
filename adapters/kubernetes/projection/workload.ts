// PodDisruptionBudget → PdbView and Deployment → WorkloadView, with their label selectors.

import type { PdbView, WorkloadView } from '../../../core/views';
import { done, expected, isAbsent, objectAt, optionalInteger, requiredString, rootObject, type Problems } from './fields';
import { selectorAt } from './label-selector';

export function projectPdb(raw: unknown): PdbView {
  const pdb = rootObject(raw, 'PodDisruptionBudget');
  const problems: Problems = [];
  const metadata = objectAt(problems, pdb.metadata, 'metadata');
  const namespace = requiredString(problems, metadata.namespace, 'metadata.namespace');
  const name = requiredString(problems, metadata.name, 'metadata.name');
  const spec = objectAt(problems, pdb.spec, 'spec');
  const selector = selectorAt(problems, spec.selector, 'spec.selector');
  const status = objectAt(problems, pdb.status, 'status');
  // Until the disruption controller has counted, nothing may be disrupted.
  const disruptionsAllowed = optionalInteger(problems, status.disruptionsAllowed, 'status.disruptionsAllowed', 0) ?? 0;
  return done(problems, { namespace, name, selector, disruptionsAllowed });
}

export function projectDeployment(raw: unknown): WorkloadView {
  const deployment = rootObject(raw, 'Deployment');
  const problems: Problems = [];
  const metadata = objectAt(problems, deployment.metadata, 'metadata');
  const namespace = requiredString(problems, metadata.namespace, 'metadata.namespace');
  const name = requiredString(problems, metadata.name, 'metadata.name');
  const spec = objectAt(problems, deployment.spec, 'spec');
  // The API server defaults an absent replicas to 1; status omits readyReplicas when none are ready.
  const replicas = optionalInteger(problems, spec.replicas, 'spec.replicas', 0) ?? 1;
  if (isAbsent(spec.selector)) expected(problems, spec.selector, 'a label selector (matchLabels / matchExpressions)', 'spec.selector');
  const selector = selectorAt(problems, spec.selector, 'spec.selector');
  const status = objectAt(problems, deployment.status, 'status');
  const readyReplicas = optionalInteger(problems, status.readyReplicas, 'status.readyReplicas', 0) ?? 0;
  return done(problems, {
    namespace,
    name,
    kind: 'Deployment',
    replicas,
    readyReplicas,
    selector: selector ?? { requirements: [] },
  });
}
