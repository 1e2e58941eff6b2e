// The runner's Logger on top of a Function invocation's context: structured records go to
// Application Insights as custom dimensions.

import type { InvocationContext } from '@azure/functions';
import type { Logger } from '../runner/ports';

export function invocationLogger(context: InvocationContext): Logger {
  return {
    info: (message, data) => (data ? context.log(message, data) : context.log(message)),
    warn: (message, data) => (data ? context.warn(message, data) : context.warn(message)),
    error: (message, data) => (data ? context.error(message, data) : context.error(message)),
  };
}
