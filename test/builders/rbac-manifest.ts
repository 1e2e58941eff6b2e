// infra/kubernetes/rbac.yaml with one verb taken out: what a test loads to show that the scaler needs it.

import { readFileSync } from 'node:fs';
import { parseAllDocuments, stringify } from 'yaml';
import { scalerRbacPath } from '../../sim/model/rbac-manifests';

const MANIFEST = readFileSync(scalerRbacPath(), 'utf8');

/** rbac.yaml with `verb` taken out of the rule that grants it on `resource` (e.g. `pods/eviction`). */
export function withoutVerb(resource: string, verb: string): string {
  let removed = 0;
  const docs = parseAllDocuments(MANIFEST).map((d) => {
    const doc = d.toJS() as { rules?: { resources?: string[]; verbs: string[] }[] };
    for (const rule of doc.rules ?? []) {
      if (!(rule.resources ?? []).includes(resource) || !rule.verbs.includes(verb)) continue;
      removed++;
      if (rule.resources!.length > 1) {
        // Keep the verb for the rule's other resources.
        rule.resources = rule.resources!.filter((r) => r !== resource);
        doc.rules!.push({ ...rule, resources: [resource], verbs: rule.verbs.filter((v) => v !== verb) });
      } else rule.verbs = rule.verbs.filter((v) => v !== verb);
    }
    // A rule needs a verb (the API server would refuse one without): an emptied rule goes.
    if (doc.rules !== undefined) doc.rules = doc.rules.filter((r) => r.verbs.length > 0);
    return stringify(doc);
  });
  if (removed !== 1) throw new Error(`rbac.yaml grants ${verb} on ${resource} ${removed} times, not once`);
  return docs.join('---\n');
}
