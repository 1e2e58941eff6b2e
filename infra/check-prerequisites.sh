#!/usr/bin/env bash
# Checks that an AKS cluster and its node pools are set up the way graceful-scaler needs, with the
# Azure CLI (az login first). It only reads; for each problem it prints the command that fixes it.
#
#   infra/check-prerequisites.sh -g clomo-rg -c clomo-prod -p user -b batch
#
# Exit status: 0 when every check passes, 1 when one fails, 2 on bad arguments or when az cannot read
# the cluster. Warnings (things to know, not to fix) do not change the status.
#
# Why each check matters:
#  - scaleDownMode Deallocate: AKS keeps deallocated node VMs only in that mode; in Delete mode it
#    deletes them, and graceful-scaler refuses to stop nodes there.
#  - managed OS disks: Deallocate mode does not support ephemeral OS disks.
#  - cluster autoscaler off on the managed pools: it owns a pool's count and would undo ours.
#  - scale-set pools: graceful-scaler starts and deallocates scale-set instances.
#  - the batch pool labelled at pool level (e.g. clomo/BatchDeployable=true): AKS puts pool labels on
#    every node it creates or re-images; a `kubectl label` is lost when a node is replaced.
#  - AKS-managed Microsoft Entra ID and Kubernetes RBAC: the app reaches the API server with an
#    Entra token for its managed identity, authorized by infra/kubernetes/rbac.yaml.
#  - node resource group not locked down: a ReadOnly lockdown's deny assignment blocks starting and
#    deallocating node VMs by anyone but AKS.

set -euo pipefail

usage() {
  cat <<'EOF'
usage: check-prerequisites.sh -g RESOURCE_GROUP -c CLUSTER -p POOLS [-b BATCH_POOL] [-l LABEL] [-s SUBSCRIPTION]

  -g  resource group of the AKS cluster
  -c  name of the AKS cluster
  -p  the agent pools graceful-scaler manages (the policy's nodes.pools), comma-separated
  -b  the protected batch pool, checked for its pool-level label (optional)
  -l  the protected label key (default clomo/BatchDeployable, the policy's protectedNodeLabels)
  -s  subscription (default: the az CLI's current one)
EOF
}

resource_group=""
cluster=""
pools=""
batch_pool=""
label="clomo/BatchDeployable"
subscription=""

while getopts ":g:c:p:b:l:s:h" opt; do
  case "$opt" in
    g) resource_group=$OPTARG ;;
    c) cluster=$OPTARG ;;
    p) pools=$OPTARG ;;
    b) batch_pool=$OPTARG ;;
    l) label=$OPTARG ;;
    s) subscription=$OPTARG ;;
    h) usage; exit 0 ;;
    :) echo "option -$OPTARG needs a value" >&2; usage >&2; exit 2 ;;
    *) echo "unknown option -$OPTARG" >&2; usage >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
if [[ $# -gt 0 || -z "$resource_group" || -z "$cluster" || -z "$pools" ]]; then
  usage >&2
  exit 2
fi

# Expanded as ${sub_args[@]+"${sub_args[@]}"}: an empty array is "unbound" under set -u in bash 3.2.
sub_args=()
if [[ -n "$subscription" ]]; then
  sub_args=(--subscription "$subscription")
fi

failures=0
ok() { printf 'ok    %s\n' "$1"; }
warn() { printf 'warn  %s\n' "$1"; }
fail() {
  printf 'FAIL  %s\n' "$1"
  shift
  local line
  for line in "$@"; do printf '        fix: %s\n' "$line"; done
  failures=$((failures + 1))
}
# az prints booleans in tsv output as True/False; compare without case.
lower() { printf '%s' "$1" | tr '[:upper:]' '[:lower:]'; }

cluster_query() {
  az aks show ${sub_args[@]+"${sub_args[@]}"} --resource-group "$resource_group" --name "$cluster" --query "$1" --output tsv
}
pool_query() {
  az aks nodepool show ${sub_args[@]+"${sub_args[@]}"} --resource-group "$resource_group" --cluster-name "$cluster" \
    --name "$1" --query "$2" --output tsv
}

if ! cluster_id=$(cluster_query id) || [[ -z "$cluster_id" ]]; then
  echo "cannot read cluster $cluster in resource group $resource_group (az login? the right subscription?)" >&2
  exit 2
fi
echo "cluster $cluster_id"

fix_pool="az aks nodepool update --resource-group $resource_group --cluster-name $cluster"

# --- the cluster ---------------------------------------------------------------------------------

aad_managed=$(lower "$(cluster_query 'aadProfile.managed')")
if [[ "$aad_managed" == "true" ]]; then
  ok "AKS-managed Microsoft Entra ID is enabled"
else
  fail "AKS-managed Microsoft Entra ID is not enabled: the app's Entra token would not be accepted" \
    "az aks update --resource-group $resource_group --name $cluster --enable-aad --aad-admin-group-object-ids <admin-group-object-id>"
fi

rbac=$(lower "$(cluster_query 'enableRbac')")
if [[ "$rbac" == "true" ]]; then
  ok "Kubernetes RBAC is enabled"
else
  fail "Kubernetes RBAC is disabled: infra/kubernetes/rbac.yaml would mean nothing" \
    "Kubernetes RBAC cannot be enabled on an existing cluster; create a new cluster with it (the default)"
fi

azure_rbac=$(lower "$(cluster_query 'aadProfile.enableAzureRbac')")
if [[ "$azure_rbac" == "true" ]]; then
  warn "Azure RBAC for Kubernetes authorization is enabled: check that the ClusterRoleBinding is honoured for the identity (docs/deploy.md, 'Kubernetes access')"
fi

restriction=$(cluster_query 'nodeResourceGroupProfile.restrictionLevel')
if [[ -z "$restriction" || "$(lower "$restriction")" == "unrestricted" ]]; then
  ok "node resource group is not locked down"
else
  fail "node resource group restriction level is $restriction: its deny assignment blocks starting and deallocating node VMs" \
    "az aks update --resource-group $resource_group --name $cluster --nrg-lockdown-restriction-level Unrestricted"
fi

node_rg=$(cluster_query 'nodeResourceGroup')
echo "info  node resource group: $node_rg (the template's nodeResourceGroup parameter)"

private_cluster=$(lower "$(cluster_query 'apiServerAccessProfile.enablePrivateCluster')")
# shellcheck disable=SC2016 # the backticks are a JMESPath literal, not a shell expansion
authorized_ranges=$(cluster_query 'length(apiServerAccessProfile.authorizedIpRanges || `[]`)')
if [[ "$private_cluster" == "true" || "${authorized_ranges:-0}" != "0" ]]; then
  warn "the API server is private or limited to authorized IP ranges: the Function App needs VNet integration (template parameter virtualNetworkSubnetId) and a route the API server accepts"
fi

# --- the managed pools ---------------------------------------------------------------------------

IFS=',' read -r -a pool_list <<< "$pools"
for pool in "${pool_list[@]}"; do
  pool=${pool//[[:space:]]/}
  [[ -z "$pool" ]] && continue
  if ! pool_type=$(pool_query "$pool" 'type') || [[ -z "$pool_type" ]]; then
    fail "pool $pool: not found in cluster $cluster" "check the policy's nodes.pools against: az aks nodepool list --resource-group $resource_group --cluster-name $cluster --query '[].name'"
    continue
  fi
  if [[ "$pool_type" == "VirtualMachineScaleSets" ]]; then
    ok "pool $pool: virtual machine scale set"
  else
    fail "pool $pool: type $pool_type; graceful-scaler starts and deallocates scale-set instances only" \
      "create a scale-set pool (the default type) and move the workloads to it"
  fi

  mode=$(pool_query "$pool" 'scaleDownMode')
  if [[ "$mode" == "Deallocate" ]]; then
    ok "pool $pool: scaleDownMode Deallocate"
  else
    fail "pool $pool: scaleDownMode ${mode:-Delete (the default)}; AKS deletes deallocated VMs in that mode" \
      "$fix_pool --name $pool --scale-down-mode Deallocate"
  fi

  disk=$(pool_query "$pool" 'osDiskType')
  if [[ "$disk" == "Managed" ]]; then
    ok "pool $pool: managed OS disks"
  else
    fail "pool $pool: OS disk type ${disk:-unknown}; Deallocate mode needs managed OS disks, and the disk type of a pool cannot be changed" \
      "az aks nodepool add --resource-group $resource_group --cluster-name $cluster --name <new-pool> --node-osdisk-type Managed --scale-down-mode Deallocate ..." \
      "then move the workloads and put the new pool in the policy's nodes.pools"
  fi

  autoscaling=$(lower "$(pool_query "$pool" 'enableAutoScaling')")
  if [[ "$autoscaling" == "true" ]]; then
    fail "pool $pool: the cluster autoscaler is enabled; it owns the pool's count and would undo graceful-scaler's" \
      "$fix_pool --name $pool --disable-cluster-autoscaler"
  else
    ok "pool $pool: cluster autoscaler off"
  fi

  if [[ -n "$batch_pool" && "$pool" == "$batch_pool" ]]; then
    fail "pool $pool is both managed and the protected batch pool" \
      "take it out of the policy's nodes.pools: the batch pool is never scaled down"
  fi
done

# --- the protected batch pool ---------------------------------------------------------------------

if [[ -n "$batch_pool" ]]; then
  if ! value=$(pool_query "$batch_pool" "nodeLabels.\"$label\""); then
    fail "batch pool $batch_pool: not found in cluster $cluster" \
      "az aks nodepool list --resource-group $resource_group --cluster-name $cluster --query '[].name'"
  elif [[ "$(lower "$value")" == "true" ]]; then
    ok "batch pool $batch_pool: labelled $label=true at pool level"
  else
    # JSON on one line: tsv would print the label values without their keys.
    existing=$(az aks nodepool show ${sub_args[@]+"${sub_args[@]}"} --resource-group "$resource_group" \
      --cluster-name "$cluster" --name "$batch_pool" --query nodeLabels --output json | tr -s '[:space:]' ' ' || true)
    existing=${existing%"${existing##*[![:space:]]}"}
    fail "batch pool $batch_pool: no pool-level label $label=true (has: ${existing:-none})" \
      "$fix_pool --name $batch_pool --labels $label=true <every label the pool already has, as key=value>" \
      "(--labels replaces the pool's labels as a whole: list the existing ones too)"
  fi
fi

if [[ $failures -gt 0 ]]; then
  echo "$failures check(s) failed"
  exit 1
fi
echo "all checks passed"
