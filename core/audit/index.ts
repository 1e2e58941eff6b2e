// `graceful-scaler audit`: which workloads a drain would hurt, why, for which disrupter, and the
// fix. Pure: the objects come in (adapters/kubernetes/audit-objects.ts reads them), a report goes out.

export { audit, failsAt } from './audit';
export { CHECKS } from './checks';
export { DEFAULT_SETTINGS, EXPECTED_DURATION, policyAuditSettings, RESUMABLE, type AuditSettings } from './context';
export { addObject, emptyAuditObjects, type AuditObjects, type KubeObject, type OwnerReference } from './objects';
export { AUDIT_CHECK_OF_RULE, auditCheckSuffix } from './scaler-reasons';
export * from './types';
export { groupWorkloads } from './workloads';
