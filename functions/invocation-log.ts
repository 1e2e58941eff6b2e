// The runner's Logger on top of a Function invocation's context. `context.log(message, data)` does
// not give Application Insights custom dimensions: the Node.js library joins its arguments into one
// message with util.format (azure-functions-nodejs-library#227), and util.inspect's text of an object
// spans lines and cuts nested values. So the data goes as an object that inspects as one line of JSON:
// Application Insights gets `message {"metric":…}`, which the alert queries read back with parse_json
// (docs/alerts.md), and a log handler that takes the arguments as they are (the local host) still
// gets the object.

import { inspect } from 'node:util';
import type { InvocationContext } from '@azure/functions';
import type { Logger } from '../runner/ports';

export function invocationLogger(context: InvocationContext): Logger {
  return {
    info: (message, data) => (data ? context.log(message, jsonRecord(data)) : context.log(message)),
    warn: (message, data) => (data ? context.warn(message, jsonRecord(data)) : context.warn(message)),
    error: (message, data) => (data ? context.error(message, jsonRecord(data)) : context.error(message)),
  };
}

/** A copy of the data that util.format writes as one line of JSON (JSON escapes line breaks). */
export function jsonRecord(data: Record<string, unknown>): Record<string, unknown> {
  const copy = { ...data };
  Object.defineProperty(copy, inspect.custom, { value: () => JSON.stringify(data), enumerable: false });
  return copy;
}
