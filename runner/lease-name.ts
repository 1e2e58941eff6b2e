/** The one Lease every target takes: one writer per cluster, whatever the entry point. */
export const LEASE_NAME = 'graceful-scaler';
