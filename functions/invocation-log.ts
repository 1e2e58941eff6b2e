// The runner's Logger on top of a Function invocation's context. `context.log(message, data)` would
// not give Application Insights custom dimensions: the Node library joins its arguments with
// util.format into one message (azure-functions-nodejs-library#227), and util.inspect's text is not
// parseable. So a structured record is its message followed by the data as one line of JSON, which the
// alert queries read back with parse_json (docs/alerts.md).

import type { InvocationContext } from '@azure/functions';
import type { Logger } from '../runner/ports';

export function invocationLogger(context: InvocationContext): Logger {
  return {
    info: (message, data) => context.log(withData(message, data)),
    warn: (message, data) => context.warn(withData(message, data)),
    error: (message, data) => context.error(withData(message, data)),
  };
}

/** `message {"metric":…}`: one line, whatever the reasons contain (JSON escapes line breaks). */
export function withData(message: string, data: Record<string, unknown> | undefined): string {
  return data ? `${message} ${JSON.stringify(data)}` : message;
}
