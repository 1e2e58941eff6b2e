// A parser for ARM template expressions ("[format('{0}-plan', parameters('appName'))]") and an
// evaluator for the functions infra/main.json uses, so the tests can check what a deployment would
// produce (resource names, dependsOn targets, app setting values) without Azure. ARM's own validation
// cannot run here; this catches the mistakes it would: a typo in a function or parameter name, an
// unbalanced quote, a dependsOn that names nothing.

import { createHash } from 'node:crypto';

export type ArmNode =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'call'; name: string; args: ArmNode[] }
  | { kind: 'property'; target: ArmNode; name: string }
  | { kind: 'index'; target: ArmNode; index: ArmNode };

/** Functions of the ARM template language (the subset a reviewer would expect in templates like ours). */
export const ARM_FUNCTIONS = new Set([
  'and',
  'array',
  'base64',
  'bool',
  'coalesce',
  'concat',
  'contains',
  'copyIndex',
  'createArray',
  'createObject',
  'deployment',
  'empty',
  'endsWith',
  'environment',
  'equals',
  'extensionResourceId',
  'false',
  'first',
  'format',
  'greater',
  'guid',
  'if',
  'int',
  'intersection',
  'json',
  'last',
  'length',
  'less',
  'listKeys',
  'newGuid',
  'not',
  'null',
  'or',
  'parameters',
  'reference',
  'replace',
  'resourceGroup',
  'resourceId',
  'skip',
  'split',
  'startsWith',
  'string',
  'subscription',
  'subscriptionResourceId',
  'substring',
  'take',
  'tenant',
  'toLower',
  'toUpper',
  'trim',
  'true',
  'union',
  'uniqueString',
  'utcNow',
  'variables',
]);

/** A template string is an expression when it is wrapped in [ ] and does not start with the `[[` escape. */
export function isExpression(value: string): boolean {
  return value.startsWith('[') && !value.startsWith('[[') && value.endsWith(']');
}

export function parseExpression(text: string): ArmNode {
  if (!isExpression(text)) throw new Error(`not an expression: ${text}`);
  const parser = new Parser(text.slice(1, -1));
  const node = parser.expression();
  parser.skipSpace();
  if (!parser.done()) throw new Error(`unexpected ${JSON.stringify(parser.rest())} in ${text}`);
  return node;
}

class Parser {
  private pos = 0;
  constructor(private readonly src: string) {}

  done(): boolean {
    return this.pos >= this.src.length;
  }
  rest(): string {
    return this.src.slice(this.pos);
  }
  skipSpace(): void {
    while (!this.done() && /\s/.test(this.src[this.pos]!)) this.pos++;
  }
  private expect(ch: string): void {
    this.skipSpace();
    if (this.src[this.pos] !== ch) throw new Error(`expected '${ch}' at ${this.pos} in [${this.src}]`);
    this.pos++;
  }

  expression(): ArmNode {
    let node = this.primary();
    for (;;) {
      if (this.src[this.pos] === '.') {
        this.pos++;
        node = { kind: 'property', target: node, name: this.identifier() };
      } else if (this.src[this.pos] === '[') {
        this.pos++;
        const index = this.expression();
        this.expect(']');
        node = { kind: 'index', target: node, index };
      } else return node;
    }
  }

  private primary(): ArmNode {
    this.skipSpace();
    const ch = this.src[this.pos];
    if (ch === "'") return this.string();
    if (ch !== undefined && /[-0-9]/.test(ch)) {
      const match = /^-?\d+/.exec(this.rest());
      if (!match) throw new Error(`bad number at ${this.pos} in [${this.src}]`);
      this.pos += match[0].length;
      return { kind: 'number', value: Number(match[0]) };
    }
    const name = this.identifier();
    this.expect('(');
    const args: ArmNode[] = [];
    this.skipSpace();
    if (this.src[this.pos] === ')') this.pos++;
    else {
      for (;;) {
        args.push(this.expression());
        this.skipSpace();
        const next = this.src[this.pos++];
        if (next === ')') break;
        if (next !== ',') throw new Error(`expected ',' or ')' at ${this.pos - 1} in [${this.src}]`);
      }
    }
    return { kind: 'call', name, args };
  }

  private identifier(): string {
    const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.rest());
    if (!match) throw new Error(`expected a name at ${this.pos} in [${this.src}]`);
    this.pos += match[0].length;
    return match[0];
  }

  private string(): ArmNode {
    this.pos++; // opening quote
    let value = '';
    for (;;) {
      if (this.done()) throw new Error(`unterminated string in [${this.src}]`);
      const ch = this.src[this.pos++]!;
      if (ch === "'") {
        if (this.src[this.pos] === "'") {
          value += "'";
          this.pos++;
        } else return { kind: 'string', value };
      } else value += ch;
    }
  }
}

/** Every node of an expression tree, depth first. */
export function* walk(node: ArmNode): Generator<ArmNode> {
  yield node;
  if (node.kind === 'call') for (const arg of node.args) yield* walk(arg);
  if (node.kind === 'property') yield* walk(node.target);
  if (node.kind === 'index') {
    yield* walk(node.target);
    yield* walk(node.index);
  }
}

/** Every string in a JSON value, with its JSON path, not descending into `skip`ped keys. */
export function* strings(value: unknown, path = '$', skip: (path: string) => boolean = () => false): Generator<[string, string]> {
  if (skip(path)) return;
  if (typeof value === 'string') {
    yield [path, value];
  } else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) yield* strings(value[i], `${path}[${i}]`, skip);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      // Keys may be expressions too (userAssignedIdentities is keyed by the identity's id).
      yield [`${path}.<key>`, key];
      yield* strings(v, `${path}.${key}`, skip);
    }
  }
}

// --- evaluation -----------------------------------------------------------------------------------

export interface EvalContext {
  parameters: Record<string, unknown>;
  /** Raw variable definitions, evaluated on use (they may refer to each other). */
  variables: Record<string, unknown>;
  subscriptionId: string;
  resourceGroup: string;
  location: string;
  copyIndex?: number;
}

/**
 * What reference() returns here: the properties the template reads, with plausible values. A
 * property not listed is an error, so a misspelled property (connectionString for ConnectionString)
 * fails the test instead of passing unnoticed.
 */
export const REFERENCE_STUBS: Record<string, Record<string, unknown>> = {
  'Microsoft.ManagedIdentity/userAssignedIdentities': {
    principalId: '11111111-1111-4111-8111-111111111111',
    clientId: '22222222-2222-4222-8222-222222222222',
  },
  'Microsoft.Insights/components': {
    ConnectionString:
      'InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://example.in.applicationinsights.azure.com/',
  },
  'Microsoft.Storage/storageAccounts': { primaryEndpoints: { blob: 'https://stexample.blob.core.windows.net/' } },
  'Microsoft.Web/sites': { defaultHostName: 'example.azurewebsites.net' },
};

/** `/subscriptions/s/resourceGroups/g/providers/A.B/t1/n1/t2/n2` → `A.B/t1/n1/t2/n2` (and extension ids alike). */
export function resourcePath(id: string): string {
  const at = id.indexOf('/providers/');
  return at >= 0 ? id.slice(at + '/providers/'.length) : id;
}

/** `A.B/t1/n1/t2/n2` → `A.B/t1/t2` */
export function typeOfPath(path: string): string {
  const parts = path.split('/');
  return [parts[0], ...parts.slice(1).filter((_, i) => i % 2 === 0)].join('/');
}

function interleave(type: string, names: string[]): string {
  const [ns, ...types] = type.split('/');
  if (types.length !== names.length) throw new Error(`resource type ${type} needs ${types.length} name segment(s), got ${names.length}`);
  return [ns, ...types.flatMap((t, i) => [t, names[i]])].join('/');
}

function fakeHash(parts: unknown[], length: number): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, length);
}

export function evaluate(text: unknown, ctx: EvalContext): unknown {
  if (typeof text !== 'string') return text;
  if (!isExpression(text)) return text.startsWith('[[') ? text.slice(1) : text;
  return evalNode(parseExpression(text), ctx);
}

/** Evaluates every expression inside a JSON value. */
export function evaluateDeep(value: unknown, ctx: EvalContext): unknown {
  if (typeof value === 'string') return evaluate(value, ctx);
  if (Array.isArray(value)) return value.map((v) => evaluateDeep(v, ctx));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [String(evaluate(k, ctx)), evaluateDeep(v, ctx)]));
  }
  return value;
}

function str(v: unknown, what: string): string {
  if (typeof v !== 'string') throw new Error(`${what}: expected a string, got ${JSON.stringify(v)}`);
  return v;
}

function evalNode(node: ArmNode, ctx: EvalContext): unknown {
  switch (node.kind) {
    case 'string':
    case 'number':
      return node.value;
    case 'property': {
      const target = evalNode(node.target, ctx);
      if (target === null || typeof target !== 'object' || !(node.name in target)) {
        throw new Error(`property ${node.name} not found on ${JSON.stringify(target)}`);
      }
      return (target as Record<string, unknown>)[node.name];
    }
    case 'index': {
      const target = evalNode(node.target, ctx);
      const index = evalNode(node.index, ctx);
      if (Array.isArray(target) && typeof index === 'number') {
        if (index < 0 || index >= target.length) throw new Error(`index ${index} out of range`);
        return target[index];
      }
      if (target !== null && typeof target === 'object' && typeof index === 'string') return (target as Record<string, unknown>)[index];
      throw new Error(`cannot index ${JSON.stringify(target)} with ${JSON.stringify(index)}`);
    }
    case 'call':
      return call(node, ctx);
  }
}

function call(node: Extract<ArmNode, { kind: 'call' }>, ctx: EvalContext): unknown {
  const args = () => node.args.map((a) => evalNode(a, ctx));
  const sub = `/subscriptions/${ctx.subscriptionId}`;
  const rg = `${sub}/resourceGroups/${ctx.resourceGroup}`;
  switch (node.name) {
    case 'parameters': {
      const name = str(evalNode(node.args[0]!, ctx), 'parameters()');
      if (!(name in ctx.parameters)) throw new Error(`parameters('${name}'): no such parameter (or no value given)`);
      return ctx.parameters[name];
    }
    case 'variables': {
      const name = str(evalNode(node.args[0]!, ctx), 'variables()');
      if (!(name in ctx.variables)) throw new Error(`variables('${name}'): no such variable`);
      return evaluateDeep(ctx.variables[name], ctx);
    }
    case 'format': {
      const [fmt, ...rest] = args();
      return str(fmt, 'format()').replace(/\{(\d+)\}/g, (_, i: string) => String(rest[Number(i)]));
    }
    case 'concat': {
      const values = args();
      return values.every(Array.isArray) ? values.flat() : values.map(String).join('');
    }
    case 'guid': {
      const h = fakeHash(args(), 32);
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
    }
    case 'uniqueString':
      return fakeHash(args(), 13);
    case 'toLower':
      return str(args()[0], 'toLower()').toLowerCase();
    case 'if': {
      const [cond, a, b] = node.args;
      return evalNode(cond!, ctx) ? evalNode(a!, ctx) : evalNode(b!, ctx);
    }
    case 'empty': {
      const v = args()[0];
      return (
        v === '' ||
        v === null ||
        (Array.isArray(v) && v.length === 0) ||
        (typeof v === 'object' && v !== null && Object.keys(v).length === 0)
      );
    }
    case 'not':
      return !args()[0];
    case 'equals': {
      const [a, b] = args();
      return JSON.stringify(a) === JSON.stringify(b);
    }
    case 'length': {
      const v = args()[0];
      if (typeof v === 'string' || Array.isArray(v)) return v.length;
      throw new Error('length(): expected a string or an array');
    }
    case 'null':
      return null;
    case 'copyIndex':
      if (ctx.copyIndex === undefined) throw new Error('copyIndex() outside a copy loop');
      return ctx.copyIndex + (node.args.length ? Number(args()[0]) : 0);
    case 'resourceGroup':
      return { id: rg, name: ctx.resourceGroup, location: ctx.location };
    case 'subscription':
      return { id: sub, subscriptionId: ctx.subscriptionId, tenantId: '77777777-7777-4777-8777-777777777777' };
    case 'environment':
      return { suffixes: { storage: 'core.windows.net' }, resourceManager: 'https://management.azure.com/' };
    case 'resourceId': {
      const values = args().map((v) => str(v, 'resourceId()'));
      // resourceId([subscriptionId,] [resourceGroup,] type, names...): the type is the first value with a '/'.
      const at = values.findIndex((v) => v.includes('/'));
      if (at < 0 || at > 2) throw new Error(`resourceId(${values.join(', ')}): no resource type`);
      const scope =
        at === 2 ? `/subscriptions/${values[0]}/resourceGroups/${values[1]}` : at === 1 ? `${sub}/resourceGroups/${values[0]}` : rg;
      return `${scope}/providers/${interleave(values[at]!, values.slice(at + 1))}`;
    }
    case 'subscriptionResourceId': {
      const values = args().map((v) => str(v, 'subscriptionResourceId()'));
      return `${sub}/providers/${interleave(values[0]!, values.slice(1))}`;
    }
    case 'extensionResourceId': {
      const [base, type, ...names] = args().map((v) => str(v, 'extensionResourceId()'));
      return `${base}/providers/${interleave(type!, names)}`;
    }
    case 'reference': {
      const id = str(args()[0], 'reference()');
      const type = typeOfPath(resourcePath(id));
      const stub = REFERENCE_STUBS[type];
      if (!stub) throw new Error(`reference(${id}): no stub for ${type}`);
      return stub;
    }
    default:
      throw new Error(`${node.name}(): not supported by the test evaluator`);
  }
}
