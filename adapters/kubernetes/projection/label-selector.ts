// A Kubernetes label selector (`matchLabels` / `matchExpressions`) in an object the scaler reads:
// a PodDisruptionBudget's, a Deployment's, a pod anti-affinity term's.

import { InputError } from '../../../core/errors';
import { selectorFromKubernetes } from '../../../core/selector';
import type { LabelSelector } from '../../../core/views';
import { arrayAt, expected, isAbsent, isObject, requiredString, stringMapAt, type Problems } from './fields';

/** A `matchLabels`/`matchExpressions` selector; undefined when absent or null (matches nothing). */
export function selectorAt(problems: Problems, value: unknown, path: string): LabelSelector | undefined {
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
