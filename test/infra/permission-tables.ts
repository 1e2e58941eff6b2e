// What each SDK call the code can make needs, written down once. The tests find the calls in the
// source (source-scan.ts) and look them up here; a call that is not in a table fails the tests, so a
// new call cannot ship without someone deciding what permission it needs.
//
// Sources: Kubernetes verbs follow the API server's mapping of HTTP methods (GET one = get, GET a
// collection = list, POST = create, PUT = update, PATCH = patch) applied to the request each client-node
// 1.4 method sends (azure-sdk-facts.md 2.2). Azure actions are the provider operations of the REST
// call each SDK method sends (azure-sdk-facts.md 3.2), as listed in the Azure docs' "Azure resource
// provider operations" and the built-in role pages (MicrosoftDocs/azure-docs,
// articles/role-based-access-control/built-in-roles*.md and resource-provider-operations.md).

// --- Kubernetes -----------------------------------------------------------------------------------

/**
 * cluster: a cluster-scoped object (nodes). all-namespaces: a list across every namespace. any-namespace:
 * an object in whatever namespace it lives in (pods, deployments, their events; Node events go to
 * `default`). state-namespace: only graceful-scaler's own namespace (GRACEFUL_SCALER_NAMESPACE).
 */
export type KubeScope = 'cluster' | 'all-namespaces' | 'any-namespace' | 'state-namespace';

export interface KubePermission {
  group: string;
  resource: string;
  verb: string;
  scope: KubeScope;
}

const k = (group: string, resource: string, verb: string, scope: KubeScope): KubePermission => ({ group, resource, verb, scope });

/**
 * Lists the cluster reader fetches as raw JSON (with client-node's credentials applied), by the API
 * path passed to its `readAll`: a GET on a collection is `list`.
 */
export const RAW_LIST_PATHS: Readonly<Record<string, KubePermission>> = {
  '/api/v1/nodes': k('', 'nodes', 'list', 'cluster'),
  '/api/v1/pods': k('', 'pods', 'list', 'all-namespaces'),
  '/apis/policy/v1/poddisruptionbudgets': k('policy', 'poddisruptionbudgets', 'list', 'all-namespaces'),
  '/apis/apps/v1/deployments': k('apps', 'deployments', 'list', 'all-namespaces'),
  '/apis/apps/v1/replicasets': k('apps', 'replicasets', 'list', 'all-namespaces'),
  '/apis/apps/v1/statefulsets': k('apps', 'statefulsets', 'list', 'all-namespaces'),
  '/apis/batch/v1/jobs': k('batch', 'jobs', 'list', 'all-namespaces'),
  '/apis/apps/v1/daemonsets': k('apps', 'daemonsets', 'list', 'all-namespaces'),
  '/api/v1/replicationcontrollers': k('', 'replicationcontrollers', 'list', 'all-namespaces'),
};

/** By client-node API class (the object API's `ObjectCoreV1Api` is `CoreV1Api` here) and method. */
export const KUBERNETES_METHODS: Record<string, Record<string, KubePermission>> = {
  CoreV1Api: {
    listNode: k('', 'nodes', 'list', 'cluster'),
    readNode: k('', 'nodes', 'get', 'cluster'),
    patchNode: k('', 'nodes', 'patch', 'cluster'),
    replaceNode: k('', 'nodes', 'update', 'cluster'),
    listPodForAllNamespaces: k('', 'pods', 'list', 'all-namespaces'),
    listServiceForAllNamespaces: k('', 'services', 'list', 'all-namespaces'),
    listReplicationControllerForAllNamespaces: k('', 'replicationcontrollers', 'list', 'all-namespaces'),
    listNamespacedPod: k('', 'pods', 'list', 'any-namespace'),
    readNamespacedPod: k('', 'pods', 'get', 'any-namespace'),
    patchNamespacedPod: k('', 'pods', 'patch', 'any-namespace'),
    deleteNamespacedPod: k('', 'pods', 'delete', 'any-namespace'),
    createNamespacedPodEviction: k('', 'pods/eviction', 'create', 'any-namespace'),
    createNamespacedEvent: k('', 'events', 'create', 'any-namespace'),
    readNamespacedConfigMap: k('', 'configmaps', 'get', 'state-namespace'),
    createNamespacedConfigMap: k('', 'configmaps', 'create', 'state-namespace'),
    replaceNamespacedConfigMap: k('', 'configmaps', 'update', 'state-namespace'),
    patchNamespacedConfigMap: k('', 'configmaps', 'patch', 'state-namespace'),
    deleteNamespacedConfigMap: k('', 'configmaps', 'delete', 'state-namespace'),
  },
  AppsV1Api: {
    listDeploymentForAllNamespaces: k('apps', 'deployments', 'list', 'all-namespaces'),
    listReplicaSetForAllNamespaces: k('apps', 'replicasets', 'list', 'all-namespaces'),
    listStatefulSetForAllNamespaces: k('apps', 'statefulsets', 'list', 'all-namespaces'),
    listDaemonSetForAllNamespaces: k('apps', 'daemonsets', 'list', 'all-namespaces'),
    readNamespacedDeployment: k('apps', 'deployments', 'get', 'any-namespace'),
    readNamespacedDeploymentScale: k('apps', 'deployments/scale', 'get', 'any-namespace'),
    patchNamespacedDeploymentScale: k('apps', 'deployments/scale', 'patch', 'any-namespace'),
    replaceNamespacedDeploymentScale: k('apps', 'deployments/scale', 'update', 'any-namespace'),
  },
  BatchV1Api: {
    listJobForAllNamespaces: k('batch', 'jobs', 'list', 'all-namespaces'),
    listCronJobForAllNamespaces: k('batch', 'cronjobs', 'list', 'all-namespaces'),
  },
  PolicyV1Api: {
    listPodDisruptionBudgetForAllNamespaces: k('policy', 'poddisruptionbudgets', 'list', 'all-namespaces'),
  },
  CoordinationV1Api: {
    readNamespacedLease: k('coordination.k8s.io', 'leases', 'get', 'state-namespace'),
    createNamespacedLease: k('coordination.k8s.io', 'leases', 'create', 'state-namespace'),
    replaceNamespacedLease: k('coordination.k8s.io', 'leases', 'update', 'state-namespace'),
    deleteNamespacedLease: k('coordination.k8s.io', 'leases', 'delete', 'state-namespace'),
  },
  EventsV1Api: {
    createNamespacedEvent: k('events.k8s.io', 'events', 'create', 'any-namespace'),
  },
};

// --- Azure Resource Manager -----------------------------------------------------------------------

/**
 * cluster: the managed cluster resource itself. clusterResourceGroup / nodeResourceGroup: the resource
 * group (ARM checks the status of a long-running operation there: its URL,
 * /subscriptions/…/providers/<RP>/locations/<region>/operations/<id>, names no resource).
 */
export type ArmScope = 'cluster' | 'clusterResourceGroup' | 'nodeResourceGroup';

export interface ArmOperation {
  actions: string[];
  scope: ArmScope;
  /** A long-running operation: its status is polled under this provider. */
  lro?: keyof typeof LRO_STATUS;
  /** Must never be called, and why. */
  forbidden?: string;
}

const VMSS_VM = 'Microsoft.Compute/virtualMachineScaleSets/virtualMachines';
const AKS = 'Microsoft.ContainerService/managedClusters';

/** By SDK operation-group class (@azure/arm-compute, @azure/arm-containerservice) and method. */
export const ARM_OPERATIONS: Record<string, Record<string, ArmOperation>> = {
  VirtualMachineScaleSetVMsOperations: {
    start: { actions: [`${VMSS_VM}/start/action`], scope: 'nodeResourceGroup', lro: 'Microsoft.Compute' },
    deallocate: { actions: [`${VMSS_VM}/deallocate/action`], scope: 'nodeResourceGroup', lro: 'Microsoft.Compute' },
    get: { actions: [`${VMSS_VM}/read`], scope: 'nodeResourceGroup' },
    list: { actions: [`${VMSS_VM}/read`], scope: 'nodeResourceGroup' },
    getInstanceView: { actions: [`${VMSS_VM}/instanceView/read`], scope: 'nodeResourceGroup' },
    powerOff: {
      actions: [`${VMSS_VM}/powerOff/action`],
      scope: 'nodeResourceGroup',
      lro: 'Microsoft.Compute',
      forbidden: 'a powered-off VM is still billed; graceful-scaler deallocates',
    },
    delete: {
      actions: [`${VMSS_VM}/delete`],
      scope: 'nodeResourceGroup',
      lro: 'Microsoft.Compute',
      forbidden: "AKS owns its nodes' lifecycle; graceful-scaler only starts and deallocates",
    },
  },
  VirtualMachineScaleSetsOperations: {
    get: { actions: ['Microsoft.Compute/virtualMachineScaleSets/read'], scope: 'nodeResourceGroup' },
    deallocate: {
      actions: ['Microsoft.Compute/virtualMachineScaleSets/deallocate/action'],
      scope: 'nodeResourceGroup',
      lro: 'Microsoft.Compute',
      forbidden: 'with an empty or missing instance list it deallocates EVERY instance of the scale set',
    },
    start: {
      actions: ['Microsoft.Compute/virtualMachineScaleSets/start/action'],
      scope: 'nodeResourceGroup',
      lro: 'Microsoft.Compute',
      forbidden: 'with an empty or missing instance list it starts every instance of the scale set',
    },
  },
  ManagedClustersOperations: {
    get: { actions: [`${AKS}/read`], scope: 'cluster' },
    listClusterUserCredentials: { actions: [`${AKS}/listClusterUserCredential/action`], scope: 'cluster' },
    listClusterAdminCredentials: {
      actions: [`${AKS}/listClusterAdminCredential/action`],
      scope: 'cluster',
      forbidden: 'cluster-admin for everything; fails when local accounts are disabled',
    },
  },
  AgentPoolsOperations: {
    get: { actions: [`${AKS}/agentPools/read`], scope: 'cluster' },
    list: { actions: [`${AKS}/agentPools/read`], scope: 'cluster' },
    createOrUpdate: { actions: [`${AKS}/agentPools/write`], scope: 'cluster', lro: 'Microsoft.ContainerService' },
    delete: {
      actions: [`${AKS}/agentPools/delete`],
      scope: 'cluster',
      lro: 'Microsoft.ContainerService',
      forbidden: 'graceful-scaler never removes a pool',
    },
  },
};

/**
 * Reading a long-running operation's status (Azure-AsyncOperation, then Location). ARM authorizes it
 * at resource-group level, since the URL names no resource (MicrosoftDocs/azure-docs,
 * articles/azure-resource-manager/management/async-operations.md, "Permission for tracking async
 * status"; cited here from public repositories that quote it: not verified against Azure).
 */
export const LRO_STATUS = {
  'Microsoft.Compute': { scope: 'nodeResourceGroup', actions: ['Microsoft.Compute/locations/operations/read'] },
  'Microsoft.ContainerService': {
    scope: 'clusterResourceGroup',
    actions: ['Microsoft.ContainerService/locations/operations/read', 'Microsoft.ContainerService/locations/operationresults/read'],
  },
} as const satisfies Record<string, { scope: ArmScope; actions: readonly string[] }>;

// --- Storage queues (data plane, with Entra ID) -------------------------------------------------

export interface QueuePermission {
  actions: string[];
  dataActions: string[];
  forbidden?: string;
}

const QUEUES = 'Microsoft.Storage/storageAccounts/queueServices/queues';

/**
 * By @azure/storage-queue client class and method; the permission of each REST operation from the
 * Storage docs' "Permissions for calling data operations" table (Get Queue Metadata: queues/read; Peek
 * Messages: queues/messages/read; ...).
 */
export const QUEUE_OPERATIONS: Record<string, Record<string, QueuePermission>> = {
  QueueClient: {
    getProperties: { actions: [`${QUEUES}/read`], dataActions: [] },
    peekMessages: { actions: [], dataActions: [`${QUEUES}/messages/read`] },
    exists: { actions: [`${QUEUES}/read`], dataActions: [] },
    receiveMessages: {
      actions: [],
      dataActions: [`${QUEUES}/messages/process/action`],
      forbidden: 'receiving hides a job from its workers',
    },
    deleteMessage: { actions: [], dataActions: [`${QUEUES}/messages/delete`], forbidden: 'the scaler reads queues, never consumes them' },
    sendMessage: { actions: [], dataActions: [`${QUEUES}/messages/add/action`], forbidden: 'the scaler reads queues, never writes them' },
    clearMessages: { actions: [], dataActions: [`${QUEUES}/messages/delete`], forbidden: 'the scaler reads queues, never consumes them' },
    create: { actions: [`${QUEUES}/write`], dataActions: [], forbidden: 'queues belong to the workload' },
    delete: { actions: [`${QUEUES}/delete`], dataActions: [], forbidden: 'queues belong to the workload' },
  },
  QueueServiceClient: {
    // Build clients; no request is sent.
    getQueueClient: { actions: [], dataActions: [] },
    fromConnectionString: { actions: [], dataActions: [] },
    listQueues: { actions: [`${QUEUES}/read`], dataActions: [], forbidden: 'needs account-wide access; the policy names its queues' },
  },
};

// --- Azure built-in roles ---------------------------------------------------------------------------

export interface BuiltInRole {
  name: string;
  /** The role's permissions as the docs list them (only where the tests compare them). */
  actions?: string[];
  dataActions?: string[];
  /** Where the id (and permissions) were checked. */
  source: string;
}

const BUILT_IN_ROLES_PAGE = 'MicrosoftDocs/azure-docs articles/role-based-access-control/built-in-roles.md (the "All" table)';

/** Built-in roles the template may use, with their real, published ids. */
export const BUILT_IN_ROLES: Record<string, BuiltInRole> = {
  'b7e6dc6d-f1e8-4753-8033-0f276bb0955b': {
    name: 'Storage Blob Data Owner',
    source: `${BUILT_IN_ROLES_PAGE}; also Azure-Samples/azure-functions-flex-consumption-samples IaC/armtemplate/azuredeploy.json`,
  },
  '3913510d-42f4-4e42-8a64-420c390055eb': {
    name: 'Monitoring Metrics Publisher',
    source: BUILT_IN_ROLES_PAGE,
  },
  '19e7f393-937e-4f77-808e-94535e297925': {
    name: 'Storage Queue Data Reader',
    actions: [`${QUEUES}/read`],
    dataActions: [`${QUEUES}/messages/read`],
    source: `${BUILT_IN_ROLES_PAGE}; permissions from articles/role-based-access-control/built-in-roles/storage.md`,
  },
  '4abbcc35-e782-43d8-92c5-2d3f1bd2253f': {
    name: 'Azure Kubernetes Service Cluster User Role',
    actions: [`${AKS}/listClusterUserCredential/action`, `${AKS}/read`],
    source: `${BUILT_IN_ROLES_PAGE}; permissions from articles/role-based-access-control/built-in-roles/containers.md`,
  },
};

/** Built-in roles that are real but broader than the code: the template must not use them. */
export const REFUSED_BUILT_IN_ROLES: Record<string, { name: string; why: string }> = {
  '9980e02c-c2be-4d73-94e8-173b1dc7cf3c': {
    name: 'Virtual Machine Contributor',
    why: 'creates, deletes and reconfigures VMs, installs extensions; the code only starts and deallocates',
  },
  'ed7f3fbd-7b88-4dd4-9017-9adb7ce333f8': {
    name: 'Azure Kubernetes Service Contributor Role',
    why: "writes whole clusters; the code raises one pool's count",
  },
  '0ab0b1a8-8aac-4efd-b8c2-3ee1fb270be8': {
    name: 'Azure Kubernetes Service Cluster Admin Role',
    why: 'cluster-admin kubeconfig and run-command',
  },
  'a7ffa36f-339b-4b5c-8bdf-e2c188b2c0eb': {
    name: 'Azure Kubernetes Service RBAC Writer',
    why: 'read/write on most objects, Secrets included, and still no nodes; infra/kubernetes/rbac.yaml grants exactly the verbs used',
  },
  'b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b': { name: 'Azure Kubernetes Service RBAC Cluster Admin', why: 'everything in the cluster' },
  '974c5e8b-45b9-4653-ba55-5f855dd0fb88': {
    name: 'Storage Queue Data Contributor',
    why: 'can receive, delete and add messages; the code only counts and peeks',
  },
  'b24988ac-6180-42a0-ab88-20f7382dd24c': { name: 'Contributor', why: 'everything but access control' },
  '8e3af657-a8ff-443c-a75c-2fe8c4bcb635': { name: 'Owner', why: 'everything' },
};
