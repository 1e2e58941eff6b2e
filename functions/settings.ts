// App settings, read once and checked together: a missing or malformed setting is named with what it
// should hold, and the app refuses to run rather than half-start. `local.settings.example.json` lists
// every one of them; the README describes each.

import { ensureError, InputError } from '../core/errors';
import { isScalerMode, SCALER_MODES, type ScalerMode } from '../core/modes';
import type { ScalerName } from '../core/scalers';
import { parseNcrontab } from './ncrontab';
import { SCHEDULE_SETTINGS } from './schedules';

export interface Settings {
  policy: { inline: string } | { file: string };
  /** Namespace of the state and status ConfigMaps, the Leases and our Events. */
  namespace: string;
  kubernetes: { kind: 'kubeconfig'; path?: string; context?: string } | { kind: 'in-cluster' } | { kind: 'aks' };
  /** Where the managed cluster lives; needed for node VMs and for `kubernetes: aks`. */
  cluster: { subscriptionId: string; resourceGroup: string; name: string } | undefined;
  /** User-assigned managed identity's client id; unset: DefaultAzureCredential's chain. */
  managedIdentityClientId: string | undefined;
  queues: { connectionString: string } | { accountUrl: string } | undefined;
  /** Identifies this instance in Leases and Events. */
  instance: string;
  /** Per scaler, a mode that replaces the policy's (GRACEFUL_SCALER_MODE_*): switch to act without editing the policy. */
  modes: Partial<Record<ScalerName, ScalerMode>>;
}

/** The app setting that overrides each scaler's mode. */
export const MODE_SETTINGS = {
  nodes: 'GRACEFUL_SCALER_MODE_NODES',
  workers: 'GRACEFUL_SCALER_MODE_WORKERS',
  descheduler: 'GRACEFUL_SCALER_MODE_DESCHEDULER',
} as const satisfies Record<ScalerName, string>;

export const SETTING_NAMES = [
  'GRACEFUL_SCALER_POLICY',
  'GRACEFUL_SCALER_POLICY_FILE',
  'GRACEFUL_SCALER_NAMESPACE',
  'GRACEFUL_SCALER_MODE_NODES',
  'GRACEFUL_SCALER_MODE_WORKERS',
  'GRACEFUL_SCALER_MODE_DESCHEDULER',
  'KUBERNETES_CONNECTION',
  'KUBECONFIG',
  'KUBE_CONTEXT',
  'AKS_SUBSCRIPTION_ID',
  'AKS_RESOURCE_GROUP',
  'AKS_CLUSTER_NAME',
  'AZURE_CLIENT_ID',
  'QUEUES_CONNECTION_STRING',
  'QUEUES_ACCOUNT_URL',
  'NODE_SCALER_SCHEDULE',
  'WORKER_SCALER_SCHEDULE',
  'DESCHEDULER_SCHEDULE',
  'WEBSITE_INSTANCE_ID',
] as const;

export function readSettings(env: NodeJS.ProcessEnv): Settings {
  const problems: string[] = [];
  const get = (name: (typeof SETTING_NAMES)[number]) => env[name]?.trim() || undefined;

  const inline = get('GRACEFUL_SCALER_POLICY');
  const file = get('GRACEFUL_SCALER_POLICY_FILE');
  let policy: Settings['policy'] = { inline: '' };
  if (inline && file) problems.push('GRACEFUL_SCALER_POLICY and GRACEFUL_SCALER_POLICY_FILE: set one, not both');
  else if (inline) policy = { inline };
  else if (file) policy = { file };
  else problems.push('GRACEFUL_SCALER_POLICY: required (the policy YAML/JSON itself), or GRACEFUL_SCALER_POLICY_FILE (a path to it)');

  const namespace = get('GRACEFUL_SCALER_NAMESPACE') ?? 'graceful-scaler';
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(namespace) || namespace.length > 63) {
    problems.push(`GRACEFUL_SCALER_NAMESPACE: expected a Kubernetes namespace name, got ${JSON.stringify(namespace)}`);
  }

  const subscriptionId = get('AKS_SUBSCRIPTION_ID');
  const resourceGroup = get('AKS_RESOURCE_GROUP');
  const name = get('AKS_CLUSTER_NAME');
  const clusterParts = [subscriptionId, resourceGroup, name].filter(Boolean).length;
  if (clusterParts > 0 && clusterParts < 3)
    problems.push('AKS_SUBSCRIPTION_ID, AKS_RESOURCE_GROUP, AKS_CLUSTER_NAME: set all three or none');
  if (subscriptionId && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(subscriptionId)) {
    problems.push(`AKS_SUBSCRIPTION_ID: expected a subscription GUID, got ${JSON.stringify(subscriptionId)}`);
  }
  const cluster = clusterParts === 3 ? { subscriptionId: subscriptionId!, resourceGroup: resourceGroup!, name: name! } : undefined;

  const connection = get('KUBERNETES_CONNECTION') ?? (cluster ? 'aks' : 'kubeconfig');
  let kubernetes: Settings['kubernetes'] = { kind: 'kubeconfig' };
  if (connection === 'aks') {
    if (!cluster) problems.push('KUBERNETES_CONNECTION=aks needs AKS_SUBSCRIPTION_ID, AKS_RESOURCE_GROUP and AKS_CLUSTER_NAME');
    kubernetes = { kind: 'aks' };
  } else if (connection === 'in-cluster') kubernetes = { kind: 'in-cluster' };
  else if (connection === 'kubeconfig') {
    const path = get('KUBECONFIG');
    const context = get('KUBE_CONTEXT');
    kubernetes = { kind: 'kubeconfig', ...(path ? { path } : {}), ...(context ? { context } : {}) };
  } else problems.push(`KUBERNETES_CONNECTION: expected aks, kubeconfig or in-cluster, got ${JSON.stringify(connection)}`);

  const connectionString = get('QUEUES_CONNECTION_STRING');
  const accountUrl = get('QUEUES_ACCOUNT_URL');
  let queues: Settings['queues'];
  if (connectionString && accountUrl) problems.push('QUEUES_CONNECTION_STRING and QUEUES_ACCOUNT_URL: set one, not both');
  else if (connectionString) queues = { connectionString };
  else if (accountUrl) {
    if (!/^https:\/\/[a-z0-9]{3,24}\.queue\.core\.windows\.net\/?$/.test(accountUrl)) {
      problems.push(`QUEUES_ACCOUNT_URL: expected https://<account>.queue.core.windows.net, got ${JSON.stringify(accountUrl)}`);
    }
    queues = { accountUrl };
  }

  const modes: Settings['modes'] = {};
  for (const [scaler, setting] of Object.entries(MODE_SETTINGS) as [ScalerName, (typeof MODE_SETTINGS)[ScalerName]][]) {
    const value = get(setting);
    if (value === undefined) continue;
    if (isScalerMode(value)) modes[scaler] = value;
    else
      problems.push(
        `${setting}: expected one of ${SCALER_MODES.join(', ')} (unset: the policy's modes.${scaler}, default observe), got ${JSON.stringify(value)}`,
      );
  }

  // A schedule the host cannot parse stops every function from loading; say which setting to fix.
  for (const { setting } of Object.values(SCHEDULE_SETTINGS)) {
    const expression = env[setting]?.trim();
    if (!expression) continue;
    try {
      parseNcrontab(expression);
    } catch (err) {
      problems.push(`${setting}: ${ensureError(err).message}; e.g. "0 */1 * * * *" for every minute`);
    }
  }

  if (problems.length > 0) throw new InputError(problems);
  return {
    policy,
    namespace,
    kubernetes,
    cluster,
    managedIdentityClientId: get('AZURE_CLIENT_ID'),
    queues,
    instance: get('WEBSITE_INSTANCE_ID')?.slice(0, 16) ?? `pid-${process.pid}`,
    modes,
  };
}
