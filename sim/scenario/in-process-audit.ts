// The drain audit's reader (runner/ports.ts AuditReader) on the simulated cluster, without HTTP, for
// `npm start`: the kinds the Kubernetes audit reader lists, taken from the model and filed by the
// same code (adapters/kubernetes/audit-objects.ts), so the page shows what a real cluster would.

import { auditObjectsFromLists } from '../../adapters/kubernetes/audit-objects';
import { emptyAuditObjects, type AuditObjects } from '../../core/audit';
import type { AuditReader } from '../../runner/ports';
import type { SimCluster } from '../model/cluster';
import {
  CRON_JOBS,
  DAEMON_SETS,
  DEPLOYMENTS,
  JOBS,
  NODES,
  PDBS,
  PODS,
  REPLICA_SETS,
  REPLICATION_CONTROLLERS,
  SERVICES,
  STATEFUL_SETS,
} from '../model/resources';

/** Every kind adapters/kubernetes/audit-reader.ts lists. */
const AUDITED = [
  NODES,
  PODS,
  SERVICES,
  REPLICATION_CONTROLLERS,
  DEPLOYMENTS,
  REPLICA_SETS,
  STATEFUL_SETS,
  DAEMON_SETS,
  JOBS,
  CRON_JOBS,
  PDBS,
];

export class SimAuditReader implements AuditReader {
  constructor(private readonly cluster: SimCluster) {}

  async readAuditObjects(): Promise<AuditObjects> {
    const objects = emptyAuditObjects();
    for (const resource of AUDITED) auditObjectsFromLists([{ source: resource.plural, json: this.cluster.list(resource) }], objects);
    return Promise.resolve(objects);
  }
}
