// The Function App's entry point (package.json "main"): registers every function and installs the
// production runtime, built on first use.

import { productionRuntime } from './production';
import { setRuntimeFactory } from './runtime';
import './node-scaler';
import './worker-scaler';
import './descheduler';
import './status-http';
import './overrides-http';
import './plan-http';

setRuntimeFactory(() => productionRuntime(process.env));
