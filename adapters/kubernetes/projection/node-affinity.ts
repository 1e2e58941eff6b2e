// A pod's required node affinity (`spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution`),
// checked as the API server validates it: the scheduler keeps such a pod off every node none of its
// terms match, so the room a drain's pods find and the pools a pod's load counts on must honour it.
// Pods of one Deployment carry the same terms: the recently seen lists are shared between views.

import type { NodeRequirement, NodeSelectorTerm } from '../../../core/views';
import { INTEGER_VALUE } from '../../../core/fit';
import { arrayAt, expected, isAbsent, isObject, objectAt, RecentLists, type Problems } from './fields';

const BASE = 'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution';
const OPERATORS: ReadonlySet<string> = new Set<NodeRequirement['operator']>(['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt']);
const recent = new RecentLists<readonly NodeSelectorTerm[]>(16);

/** The pod's required node selector terms; undefined when it has none. */
export function requiredNodeTermsAt(problems: Problems, affinity: unknown): readonly NodeSelectorTerm[] | undefined {
  if (isAbsent(affinity)) return undefined;
  const nodeAffinity = objectAt(problems, objectAt(problems, affinity, 'spec.affinity').nodeAffinity, 'spec.affinity.nodeAffinity');
  const required = nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution;
  if (isAbsent(required)) return undefined;
  const raw = objectAt(problems, required, BASE).nodeSelectorTerms;
  const list = arrayAt(problems, raw, `${BASE}.nodeSelectorTerms`);
  if (list === undefined) {
    if (isAbsent(raw)) expected(problems, raw, 'an array of node selector terms', `${BASE}.nodeSelectorTerms`);
    return undefined;
  }
  const key = JSON.stringify(list);
  const seen = recent.get(key);
  if (seen !== undefined) return seen;
  const before = problems.length;
  const terms: NodeSelectorTerm[] = [];
  for (let i = 0; i < list.length; i++) {
    const path = `${BASE}.nodeSelectorTerms[${i}]`;
    const term = list[i];
    if (!isObject(term)) {
      expected(problems, term, 'an object', path);
      continue;
    }
    terms.push(
      Object.freeze({
        matchExpressions: requirementsAt(problems, term.matchExpressions, `${path}.matchExpressions`, false),
        matchFields: requirementsAt(problems, term.matchFields, `${path}.matchFields`, true),
      }),
    );
  }
  const shared: readonly NodeSelectorTerm[] = Object.freeze(terms);
  if (problems.length === before) recent.keep(key, shared);
  return shared;
}

function requirementsAt(problems: Problems, value: unknown, base: string, fields: boolean): readonly NodeRequirement[] {
  const list = arrayAt(problems, value, base);
  if (list === undefined) return [];
  const requirements: NodeRequirement[] = [];
  for (let i = 0; i < list.length; i++) {
    const raw = list[i];
    if (!isObject(raw)) {
      expected(problems, raw, 'an object', base, i);
      continue;
    }
    const { key, operator } = raw;
    if (typeof key !== 'string' || key === '') expected(problems, key, 'a label key', base, i, '.key');
    else if (fields && key !== 'metadata.name')
      expected(problems, key, 'metadata.name (the only field a node selector term may name)', base, i, '.key');
    if (typeof operator !== 'string' || !OPERATORS.has(operator)) {
      expected(problems, operator, 'In, NotIn, Exists, DoesNotExist, Gt or Lt', base, i, '.operator');
      continue;
    }
    const values = valuesAt(problems, raw.values, base, i);
    if (values === undefined || typeof key !== 'string') continue;
    const op = operator as NodeRequirement['operator'];
    if ((op === 'In' || op === 'NotIn') && values.length === 0)
      expected(problems, raw.values, `at least one value for ${op}`, base, i, '.values');
    else if ((op === 'Exists' || op === 'DoesNotExist') && values.length > 0)
      expected(problems, raw.values, `no values for ${op}`, base, i, '.values');
    else if ((op === 'Gt' || op === 'Lt') && values.length !== 1)
      expected(problems, raw.values, `exactly one value for ${op}`, base, i, '.values');
    else if ((op === 'Gt' || op === 'Lt') && !INTEGER_VALUE.test(values[0]!))
      expected(problems, values[0], `an integer for ${op}`, base, i, '.values[0]');
    else requirements.push(Object.freeze({ key, operator: op, values }));
  }
  return Object.freeze(requirements);
}

function valuesAt(problems: Problems, value: unknown, base: string, i: number): readonly string[] | undefined {
  if (isAbsent(value)) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    expected(problems, value, 'an array of strings', base, i, '.values');
    return undefined;
  }
  return Object.freeze([...(value as string[])]);
}
