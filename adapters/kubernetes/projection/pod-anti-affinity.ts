// A pod's required pod anti-affinity (`spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution`):
// the scheduler keeps the pod out of every topology domain where a pod its terms select runs (one
// replica per node, per zone), so the room a drain's pods find must honour it. Terms whose label
// selector is null select nothing and are left out. The namespaces a term looks in are its own
// list, else the pod's namespace; a namespaceSelector (its namespaces' labels are not read here) is
// taken as every namespace, the reading that refuses more moves rather than fewer. Pods of one
// Deployment carry the same terms: the recently seen lists are shared between views.

import type { AntiAffinityTerm } from '../../../core/views';
import { arrayAt, expected, isAbsent, isObject, objectAt, RecentLists, requiredString, type Problems } from './fields';
import { selectorAt } from './label-selector';

const BASE = 'spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution';
const recent = new RecentLists<readonly AntiAffinityTerm[] | undefined>(16);

/** The pod's required anti-affinity terms; undefined when it has none that select anything. */
export function antiAffinityAt(problems: Problems, affinity: unknown, namespace: string): readonly AntiAffinityTerm[] | undefined {
  // A spec.affinity that is not an object is reported with the node affinity.
  if (!isObject(affinity) || isAbsent(affinity.podAntiAffinity)) return undefined;
  const required = objectAt(
    problems,
    affinity.podAntiAffinity,
    'spec.affinity.podAntiAffinity',
  ).requiredDuringSchedulingIgnoredDuringExecution;
  const list = arrayAt(problems, required, BASE);
  if (list === undefined || list.length === 0) return undefined;
  const key = `${namespace}\n${JSON.stringify(list)}`;
  if (recent.has(key)) return recent.get(key);
  const before = problems.length;
  const terms: AntiAffinityTerm[] = [];
  for (let i = 0; i < list.length; i++) {
    const path = `${BASE}[${i}]`;
    const raw = list[i];
    if (!isObject(raw)) {
      expected(problems, raw, 'an object', path);
      continue;
    }
    const topologyKey = requiredString(problems, raw.topologyKey, `${path}.topologyKey`);
    const selector = selectorAt(problems, raw.labelSelector, `${path}.labelSelector`);
    const listed = arrayAt(problems, raw.namespaces, `${path}.namespaces`) ?? [];
    const namespaces: string[] = [];
    listed.forEach((n, j) => {
      if (typeof n === 'string' && n !== '') namespaces.push(n);
      else expected(problems, n, 'a namespace name', `${path}.namespaces`, j);
    });
    if (!isAbsent(raw.namespaceSelector) && !isObject(raw.namespaceSelector))
      expected(problems, raw.namespaceSelector, 'a label selector (matchLabels / matchExpressions)', `${path}.namespaceSelector`);
    if (selector === undefined || topologyKey === '') continue;
    terms.push(
      Object.freeze({
        selector,
        topologyKey,
        namespaces: isObject(raw.namespaceSelector) ? undefined : Object.freeze(namespaces.length > 0 ? namespaces : [namespace]),
      }),
    );
  }
  const shared = terms.length > 0 ? Object.freeze(terms) : undefined;
  if (problems.length === before) recent.keep(key, shared);
  return shared;
}
