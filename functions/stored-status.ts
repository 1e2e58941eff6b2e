// What the status store holds (each scaler's last run and history), for the HTTP functions that show
// it: the page and the status API are still useful without it (a first start, an unreadable ConfigMap).

import type { Logger, StatusSink } from '../runner/ports';

export type StoredStatus = Awaited<ReturnType<StatusSink['read']>>;

export async function readStoredStatus(deps: { status?: StatusSink | undefined; log: Logger }): Promise<StoredStatus> {
  try {
    return (await deps.status?.read()) ?? {};
  } catch (err) {
    deps.log.warn(`status history not read: ${String(err)}`);
    return {};
  }
}
