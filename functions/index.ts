// The Function App's entry point (package.json "main"): registers every function and installs the
// production runtime, built on first use.

import { registerFunctions } from './catalog';
import { productionRuntime } from './production';
import { setRuntimeFactory } from './runtime';

registerFunctions();
setRuntimeFactory(() => productionRuntime(process.env));
