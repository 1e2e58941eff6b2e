// The scalers, named once: every list of them (the planners, the CLI's --scalers, the HTTP routes,
// override validation) derives from this one. In the order a tick plans them: the descheduler reads
// what the node planner decided.

export const SCALER_NAMES = ['nodes', 'workers', 'descheduler'] as const;

export type ScalerName = (typeof SCALER_NAMES)[number];

export function isScalerName(value: unknown): value is ScalerName {
  return (SCALER_NAMES as readonly unknown[]).includes(value);
}
