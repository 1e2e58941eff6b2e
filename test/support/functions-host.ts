// Loads the function modules with a stand-in for `@azure/functions-core` (the module only the real
// worker provides), so tests can read what would reach the host: names, bindings, routes.

import Module from 'node:module';

export interface Registered {
  name: string;
  bindings: Record<string, Record<string, unknown>>;
}

export async function registerFunctions(): Promise<Registered[]> {
  const registered: Registered[] = [];
  const fakeCore = {
    version: '4.0.0',
    setProgrammingModel() {},
    registerFunction: (metadata: Registered) => {
      registered.push(metadata);
      return { dispose() {} };
    },
    registerHook: () => ({ dispose() {} }),
    log() {},
  };
  const loader = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const original = loader._load;
  loader._load = function (request: string, ...rest: unknown[]) {
    return request === '@azure/functions-core' ? fakeCore : original.call(this, request, ...rest);
  };
  try {
    const catalog = await import('../../functions/catalog');
    catalog.registerFunctions({});
  } finally {
    loader._load = original;
  }
  return registered;
}
