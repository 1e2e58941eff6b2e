import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors';
import { readSettings, SETTING_NAMES } from '../../functions/settings';

const SUB = '3f2a1c9e-8b7d-4e21-9c55-0d6b1a2e4f70';
const base = { GRACEFUL_SCALER_POLICY_FILE: 'policy.yaml' };

function problems(env: Record<string, string>): string[] {
  try {
    readSettings(env);
    return [];
  } catch (err) {
    if (err instanceof InputError) return [...err.problems];
    throw err;
  }
}

describe('app settings', () => {
  it('defaults to a kubeconfig, the graceful-scaler namespace and no queues', () => {
    expect(readSettings(base)).toMatchObject({
      policy: { file: 'policy.yaml' },
      namespace: 'graceful-scaler',
      kubernetes: { kind: 'kubeconfig' },
      cluster: undefined,
      queues: undefined,
    });
  });

  it('connects to AKS with an Entra token when the cluster is named', () => {
    const s = readSettings({
      ...base,
      AKS_SUBSCRIPTION_ID: SUB,
      AKS_RESOURCE_GROUP: 'rg',
      AKS_CLUSTER_NAME: 'prod',
      QUEUES_ACCOUNT_URL: 'https://clomojobs.queue.core.windows.net',
    });
    expect(s).toMatchObject({
      kubernetes: { kind: 'aks' },
      cluster: { subscriptionId: SUB, resourceGroup: 'rg', name: 'prod' },
      queues: { accountUrl: 'https://clomojobs.queue.core.windows.net' },
    });
  });

  it('rejects a timer schedule the host could not parse, naming the setting', () => {
    expect(problems({ ...base, NODE_SCALER_SCHEDULE: '*/5 * * * *', DESCHEDULER_SCHEDULE: '0 0 25 * * *' })).toEqual([
      'NODE_SCALER_SCHEDULE: "*/5 * * * *": expected six fields (second minute hour day month day-of-week), got 5; e.g. "0 */1 * * * *" for every minute',
      'DESCHEDULER_SCHEDULE: "0 0 25 * * *": hour "25": out of range (values 0-23, *, a-b, */n, lists); e.g. "0 */1 * * * *" for every minute',
    ]);
    expect(readSettings({ ...base, WORKER_SCALER_SCHEDULE: '*/15 * * * * *' }).policy).toEqual({ file: 'policy.yaml' });
  });

  it('names every problem at once', () => {
    expect(
      problems({
        AKS_SUBSCRIPTION_ID: 'not-a-guid',
        KUBERNETES_CONNECTION: 'ssh',
        QUEUES_ACCOUNT_URL: 'http://x',
        GRACEFUL_SCALER_NAMESPACE: 'Bad_NS',
      }),
    ).toEqual([
      'GRACEFUL_SCALER_POLICY: required (the policy YAML/JSON itself), or GRACEFUL_SCALER_POLICY_FILE (a path to it)',
      'GRACEFUL_SCALER_NAMESPACE: expected a Kubernetes namespace name, got "Bad_NS"',
      'AKS_SUBSCRIPTION_ID, AKS_RESOURCE_GROUP, AKS_CLUSTER_NAME: set all three or none',
      'AKS_SUBSCRIPTION_ID: expected a subscription GUID, got "not-a-guid"',
      'KUBERNETES_CONNECTION: expected aks, kubeconfig or in-cluster, got "ssh"',
      'QUEUES_ACCOUNT_URL: expected https://<account>.queue.core.windows.net, got "http://x"',
    ]);
  });

  it('lists every setting it reads in local.settings.example.json', () => {
    const example = JSON.parse(readFileSync(join(__dirname, '../../local.settings.example.json'), 'utf8')) as {
      Values: Record<string, string>;
    };
    const missing = SETTING_NAMES.filter((n) => n !== 'WEBSITE_INSTANCE_ID' && !(n in example.Values));
    expect(missing).toEqual([]);
  });
});
