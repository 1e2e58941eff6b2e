// Labels and annotations the core reads. Ours carry the `graceful-scaler.io/` prefix; the others are
// the ecosystem's, honoured so that a cluster already annotated for cluster-autoscaler, Karpenter or
// the descheduler keeps its promises under graceful-scaler.

/** Every annotation of ours starts so; the Kubernetes adapter keeps them all when it projects an object. */
export const OUR_PREFIX = 'graceful-scaler.io/';
/** Events: our reporting component, so `kubectl get events` can be filtered to what we did. */
export const REPORTING_COMPONENT = 'graceful-scaler.io/scaler';

/** Node: set with the cordon of a drain, so `kubectl describe node` shows why and a crash resumes the drain. */
export const DRAINING_SINCE = 'graceful-scaler.io/draining-since';
export const DRAIN_REASON = 'graceful-scaler.io/drain-reason';
/** Node: "true" makes the node scaler leave the node entirely alone (maintenance, experiments). */
export const IGNORE_NODE = 'graceful-scaler.io/ignore';
/**
 * Node taint (effect PreferNoSchedule, value the Unix seconds it was chosen at): the node scaler would
 * drain this node next if the surplus persists, so the scheduler prefers other nodes for new pods, as
 * cluster-autoscaler's `DeletionCandidateOfClusterAutoscaler`. Ours to add and remove; no other taint is.
 */
export const DRAIN_CANDIDATE_TAINT = 'graceful-scaler.io/drain-candidate';
/**
 * Node label "true": the node scaler expects to keep this node longest (it would be drained last), so
 * long-running workers may prefer it (a preferred node affinity in their Deployment).
 */
export const STAYS_LABEL = 'graceful-scaler.io/stays';
/**
 * Node taint `graceful-scaler.io/stays=true:PreferNoSchedule`, on the nodes labelled {@link STAYS_LABEL}
 * when the policy asks (`nodes.staysTaint`): pods that do not tolerate it prefer other nodes, so the
 * nodes that stay keep their room for the long-running workers that tolerate it. Ours to add and remove.
 */
export const STAYS_TAINT = STAYS_LABEL;
/** Pod: a BG worker publishes "true" while it runs a job, "false" when idle. */
export const BUSY = 'graceful-scaler.io/busy';

export const SCALE_DOWN_DISABLED = 'cluster-autoscaler.kubernetes.io/scale-down-disabled';
export const SAFE_TO_EVICT = 'cluster-autoscaler.kubernetes.io/safe-to-evict';
/** The value of {@link SAFE_TO_EVICT} by which an owner asks "let me finish": never evicted, the node waits for it. */
export const ON_COMPLETION = 'on-completion';
/** Pod: comma-separated names of the local volumes (emptyDir, hostPath) whose data may be lost: all must be listed. */
export const SAFE_TO_EVICT_LOCAL_VOLUMES = 'cluster-autoscaler.kubernetes.io/safe-to-evict-local-volumes';
/** Pod: "true" marks a pod of a custom DaemonSet-like controller: treated as a DaemonSet's pod. */
export const DAEMONSET_POD = 'cluster-autoscaler.kubernetes.io/daemonset-pod';
export const DO_NOT_DISRUPT = 'karpenter.sh/do-not-disrupt';
export const DESCHEDULER_EVICT = 'descheduler.alpha.kubernetes.io/evict';
export const POD_DELETION_COST = 'controller.kubernetes.io/pod-deletion-cost';

export const AGENT_POOL_LABEL = 'kubernetes.azure.com/agentpool';
/** What older AKS node images carry instead of {@link AGENT_POOL_LABEL}. */
export const LEGACY_AGENT_POOL_LABEL = 'agentpool';
/** The cloud provider sets it on a node whose VM is shut down or deallocated. */
export const SHUTDOWN_TAINT = 'node.cloudprovider.kubernetes.io/shutdown';

/** Node label: the protected nodes when the policy names none (clomo's batch nodes, which run the nightly Jobs). */
export const BATCH_DEPLOYABLE_LABEL = 'clomo/BatchDeployable';

/**
 * AKS's marks on a node it is upgrading (node-auto-repair.md): with `scale-down-disabled`, this
 * annotation says why, `upgrade` while the node is surged, drained and reimaged.
 */
export const AKS_SCALE_DOWN_DISABLED_REASON = 'kubernetes.azure.com/azure-cluster-autoscaler-scale-down-disabled-reason';
/** AKS's label on a node an upgrade could not drain (`undrainableNodeBehavior: Cordon`): `Quarantined`. */
export const AKS_UPGRADE_STATUS_LABEL = 'kubernetes.azure.com/upgrade-status';
