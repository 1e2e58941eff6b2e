#!/usr/bin/env node
// Turns a policy file (YAML, or JSON when it ends in .json) into an ARM parameters file that sets
// infra/main.json's `policy` parameter:
//
//   node infra/policy-parameters.mjs policy.yaml > policy.parameters.json
//   az deployment group create ... --parameters @infra/main.parameters.json --parameters @policy.parameters.json
//
// Why a parameter and not `az functionapp config appsettings set` afterwards: the template sets the
// app's whole list of settings, so a setting added by hand is gone at the next deployment. Why JSON on
// one line: an app setting is one string; JSON is also YAML, so the app reads it either way.
//
// The policy is checked with the project's own validator when the build is there (dist/, made by
// `npm install`), so a bad policy never reaches Azure; without a build it is only parsed.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import YAML from 'yaml';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
if (args.length !== 1 || args[0] === '-h' || args[0] === '--help') {
  process.stderr.write('usage: node infra/policy-parameters.mjs POLICY_FILE > policy.parameters.json\n');
  process.exit(2);
}
const file = args[0];

function fail(lines) {
  for (const line of lines) process.stderr.write(`policy-parameters: ${line}\n`);
  process.exit(2);
}

let text;
try {
  text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
} catch (error) {
  fail([`${file}: cannot read it (${error instanceof Error ? error.message : String(error)})`]);
}

const require = createRequire(import.meta.url);
let validator;
try {
  validator = require(path.join(here, '..', 'dist', 'adapters', 'policy-file.js'));
} catch {
  validator = undefined;
}
if (validator) {
  try {
    validator.parsePolicyText(text, file);
  } catch (error) {
    fail(error && Array.isArray(error.problems) ? error.problems : [String(error)]);
  }
} else {
  process.stderr.write('policy-parameters: no build in dist/ (run npm install): the policy is parsed but not validated\n');
}

let policy;
try {
  policy = /\.json$/i.test(file) ? JSON.parse(text) : YAML.parse(text);
} catch (error) {
  fail([`${file}: ${error instanceof Error ? error.message : String(error)}`]);
}
if (policy === null || typeof policy !== 'object' || Array.isArray(policy)) {
  fail([`${file}: expected a policy document (a mapping), got ${Array.isArray(policy) ? 'a list' : typeof policy}`]);
}

const parameters = {
  $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#',
  contentVersion: '1.0.0.0',
  parameters: { policy: { value: JSON.stringify(policy) } },
};
process.stdout.write(`${JSON.stringify(parameters, null, 2)}\n`);
