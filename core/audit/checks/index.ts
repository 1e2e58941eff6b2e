// The checks in the order of the report: those that block scale-down, then those that let a pod be
// evicted without grace, each numbered as in docs/audit.md.

import { barePod } from './bare-pod';
import { customController } from './custom-controller';
import { graceAboveCap } from './grace-above-cap';
import { graceShorterThanWork } from './grace-shorter-than-work';
import { indexedJobReplacement } from './indexed-job-replacement';
import { jobWithoutDisruptionRule } from './job-without-disruption-rule';
import type { Check } from './kit';
import { kubeSystemWithoutPdb } from './kube-system-without-pdb';
import { localStorage } from './local-storage';
import { longJobRestarts } from './long-job-restarts';
import { longMessagesOnWorkers } from './long-messages-on-workers';
import { multiplePdbs } from './multiple-pdbs';
import { noPdbOrSingleReplica } from './no-pdb-or-single-replica';
import { nowhereToMove } from './nowhere-to-move';
import { optOutAnnotation } from './opt-out-annotation';
import { pdbAllowsNoDisruption } from './pdb-allows-no-disruption';
import { pdbSelectsNothing } from './pdb-selects-nothing';
import { pdbUnhealthyEviction } from './pdb-unhealthy-eviction';
import { preStopOutlastsGrace } from './prestop-outlasts-grace';
import { serviceWithoutDrainHook } from './service-without-drain-hook';
import { shellSwallowsSigterm } from './shell-swallows-sigterm';

export type { Check } from './kit';

export const CHECKS: readonly Check[] = [
  barePod,
  customController,
  localStorage,
  optOutAnnotation,
  kubeSystemWithoutPdb,
  multiplePdbs,
  pdbAllowsNoDisruption,
  pdbSelectsNothing,
  nowhereToMove,
  noPdbOrSingleReplica,
  jobWithoutDisruptionRule,
  longJobRestarts,
  graceShorterThanWork,
  graceAboveCap,
  preStopOutlastsGrace,
  serviceWithoutDrainHook,
  shellSwallowsSigterm,
  pdbUnhealthyEviction,
  indexedJobReplacement,
  longMessagesOnWorkers,
];
