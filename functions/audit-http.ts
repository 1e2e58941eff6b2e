// GET /api/audit: the drain audit of the live cluster (docs/audit.md): which workloads a drain would
// hurt, why, what each disrupter would do, and the fix. The body is the CLI's JSON report
// (`?output=json`, the default) or SARIF 2.1.0 (`?output=sarif`). `?failOn=` is the CLI's --fail-on:
// the answer's `x-audit-result` header is `fail` when a finding is at least that severe, else `pass`
// (a CI job asks for it; the body is the whole report either way).
//
// A cluster that cannot be read (unreachable, RBAC missing a kind) answers 503 with the reason: the
// audit is unavailable, nothing in the app broke, and the page says so beside the rest.

import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { audit, failsAt, policyAuditSettings, SEVERITIES, type AuditObjects, type Severity } from '../core/audit';
import { ensureError } from '../core/errors';
import { describeValue } from '../core/override-request';
import { PACKAGE_VERSION, renderAuditSarif } from '../page/audit-output';
import { badRequest, json } from './http-helpers';
import { invocationLogger } from './invocation-log';
import { getRuntime, type Runtime } from './runtime';

const OUTPUTS = ['json', 'sarif'] as const;
const FAIL_ON: readonly string[] = [...SEVERITIES, 'never'];

export async function auditHttp(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const output = request.query.get('output') ?? 'json';
  const failOn = request.query.get('failOn') ?? 'blocks';
  const problems: string[] = [];
  if (!(OUTPUTS as readonly string[]).includes(output)) problems.push(`output: expected json or sarif, got ${describeValue(output)}`);
  if (!FAIL_ON.includes(failOn)) problems.push(`failOn: expected ${FAIL_ON.join(', ')}, got ${describeValue(failOn)}`);
  if (problems.length > 0) return badRequest(problems);

  let runtime: Runtime;
  let objects: AuditObjects;
  try {
    runtime = await getRuntime();
    objects = await runtime.audit.readAuditObjects();
  } catch (err) {
    const error = `the cluster could not be read for the audit: ${ensureError(err).message}`;
    invocationLogger(context).error(error);
    return json(503, { error });
  }
  const report = audit(objects, { now: runtime.deps.clock(), ...policyAuditSettings(runtime.policy) });
  const verdict = { 'x-audit-result': failsAt(report, failOn as Severity | 'never') ? 'fail' : 'pass', 'x-audit-fail-on': failOn };
  if (output === 'sarif') {
    return {
      status: 200,
      body: renderAuditSarif(report, PACKAGE_VERSION),
      headers: { 'content-type': 'application/sarif+json; charset=utf-8', 'cache-control': 'no-store', ...verdict },
    };
  }
  const answer = json(200, report);
  return { ...answer, headers: { ...(answer.headers as Record<string, string>), ...verdict } };
}
