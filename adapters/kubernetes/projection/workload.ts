// PodDisruptionBudget → PdbView and Deployment → WorkloadView, with their label selectors.

import { InputError } from '../../../core/errors';
import { selectorFromKubernetes } from '../../../core/selector';
import type { LabelSelector, PdbView, WorkloadView } from '../../../core/views';
import {
  arrayAt,
  done,
  expected,
  isAbsent,
  isObject,
  objectAt,
  optionalInteger,
  requiredString,
  rootObject,
  stringMapAt,
  type Problems,
} from './fields';

/** A `matchLabels`/`matchExpressions` selector; undefined when absent or null (matches nothing). */
function selectorAt(problems: Problems, value: unknown, path: string): LabelSelector | undefined {
  if (isAbsent(value)) return undefined;
  if (!isObject(value)) {
    expected(problems, value, 'a label selector (matchLabels / matchExpressions)', path);
    return undefined;
  }
  const before = problems.length;
  const matchLabels = stringMapAt(problems, value.matchLabels, `${path}.matchLabels`);
  const expressions = arrayAt(problems, value.matchExpressions, `${path}.matchExpressions`) ?? [];
  const matchExpressions: { key: string; operator: string; values?: string[] }[] = [];
  expressions.forEach((expression, i) => {
    const at = `${path}.matchExpressions[${i}]`;
    if (!isObject(expression)) {
      expected(problems, expression, 'an object', at);
      return;
    }
    const key = requiredString(problems, expression.key, `${at}.key`);
    const operator = requiredString(problems, expression.operator, `${at}.operator`);
    const values = arrayAt(problems, expression.values, `${at}.values`) ?? [];
    const strings: string[] = [];
    values.forEach((v, j) => {
      if (typeof v === 'string') strings.push(v);
      else expected(problems, v, 'a string', `${at}.values`, j);
    });
    matchExpressions.push({ key, operator, values: strings });
  });
  if (problems.length > before) return undefined;
  try {
    return selectorFromKubernetes({ matchLabels, matchExpressions });
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    for (const problem of error.problems) problems.push(`${path}.${problem}`);
    return undefined;
  }
}

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
