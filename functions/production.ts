// The production runtime: the app settings of this process, wired as functions/wiring.ts does for
// every runtime. Built on the first invocation, not at import (Flex Consumption's 30 s host start).

import type { Runtime } from './runtime';
import { readSettings } from './settings';
import { wireRuntime } from './wiring';

export async function productionRuntime(env: NodeJS.ProcessEnv = process.env): Promise<Runtime> {
  return wireRuntime(readSettings(env));
}
