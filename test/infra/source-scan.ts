// Finds, in the production source, every call the code makes to the Kubernetes, ARM and Storage
// Queue SDKs, by the TypeScript type of the object the method is called on (so `core.patchNode`,
// `this.clients.core.patchNode` and a destructured `const { core } = …` all count), and every HTTP
// function registration. The type checker runs over the real tsconfig, so this stays true as the
// adapters change: a new call shows up here without anyone updating a list by hand.

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export const ROOT = path.resolve(__dirname, '../..');

/** Production code: what runs in the Function App. Tests, the simulator, the bench and the CLI do not. */
export const PRODUCTION_DIRS = ['adapters', 'runner', 'functions', 'page', 'core'];

export interface SdkCall {
  file: string;
  line: number;
  /** The class or interface the method belongs to, e.g. ObjectCoreV1Api, ScaleSetVmsApi, QueueClient. */
  receiverType: string;
  /** The package that declares it (@kubernetes/client-node, @azure/arm-compute, …) or a repo file. */
  declaredIn: string;
  method: string;
  call: ts.CallExpression;
}

export interface Scan {
  program: ts.Program;
  checker: ts.TypeChecker;
  calls: SdkCall[];
  /** Narrow port interface (adapters/azure/arm-apis.ts) → the SDK operation group class wired into it. */
  armPorts: Map<string, string>;
  sourceFile(relative: string): ts.SourceFile;
}

let cached: Scan | undefined;

function relative(file: string): string {
  return path.relative(ROOT, file).split(path.sep).join('/');
}

function packageOf(declarationFile: string): string {
  const parts = declarationFile.split('/node_modules/');
  if (parts.length < 2) return relative(declarationFile);
  const rest = parts[parts.length - 1]!.split('/');
  return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
}

function typeNameAndPackage(checker: ts.TypeChecker, node: ts.Node): { name: string; pkg: string } | undefined {
  const type = checker.getTypeAtLocation(node);
  const symbol = type.getSymbol() ?? type.aliasSymbol;
  const declaration = symbol?.declarations?.[0];
  if (!symbol || !declaration) return undefined;
  return { name: symbol.getName(), pkg: packageOf(declaration.getSourceFile().fileName) };
}

export function scan(): Scan {
  if (cached) return cached;
  const config = ts.readConfigFile(path.join(ROOT, 'tsconfig.json'), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
  const files = parsed.fileNames.filter((f) => PRODUCTION_DIRS.some((dir) => relative(f).startsWith(`${dir}/`)));
  const program = ts.createProgram(files, { ...parsed.options, noEmit: true });
  const checker = program.getTypeChecker();
  const calls: SdkCall[] = [];
  const armPorts = new Map<string, string>();

  for (const sf of program.getSourceFiles()) {
    if (!files.includes(sf.fileName)) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
        const receiver = typeNameAndPackage(checker, node.expression.expression);
        if (receiver) {
          calls.push({
            file: relative(sf.fileName),
            line: sf.getLineAndCharacterOfPosition(node.getStart()).line + 1,
            receiverType: receiver.name,
            declaredIn: receiver.pkg,
            method: node.expression.name.text,
            call: node,
          });
        }
      }
      // Wiring of a narrow port to a real SDK group: `scaleSetVms: compute.virtualMachineScaleSetVMs`
      // in an object typed as the port. The property's contextual type names the port interface.
      if (ts.isPropertyAssignment(node)) {
        const init = typeNameAndPackage(checker, node.initializer);
        const contextual = checker.getContextualType(node.initializer);
        const port = contextual?.getSymbol()?.getName() ?? contextual?.aliasSymbol?.getName();
        if (init && init.pkg.startsWith('@azure/arm-') && port && port !== init.name) armPorts.set(port, init.name);
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }

  cached = {
    program,
    checker,
    calls,
    armPorts,
    sourceFile: (rel) => {
      const sf = program.getSourceFile(path.join(ROOT, rel));
      if (!sf) throw new Error(`${rel} is not part of the scanned program`);
      return sf;
    },
  };
  return cached;
}

/** Calls on client-node API classes: `{ api: 'CoreV1Api', method: 'patchNode' }`. */
export function kubernetesCalls(s: Scan = scan()): (SdkCall & { api: string })[] {
  return s.calls
    .filter((c) => c.declaredIn === '@kubernetes/client-node' && /V\d\w*Api$/.test(c.receiverType))
    .map((c) => ({ ...c, api: c.receiverType.replace(/^Object/, '') }));
}

/**
 * The raw list requests of the cluster reader: `this.readAll('/api/v1/pods', …)` calls, with the path
 * as a string literal (anything else fails the RBAC test, so a computed path cannot slip by).
 */
export function rawListCalls(s: Scan = scan()): (SdkCall & { path: string | undefined })[] {
  return s.calls
    .filter((c) => c.receiverType === 'KubernetesClusterReader' && c.method === 'readAll')
    .map((c) => {
      const first = c.call.arguments[0];
      return { ...c, path: first && ts.isStringLiteralLike(first) ? first.text : undefined };
    });
}

/** Calls on ARM operation groups, directly or through the narrow ports: `{ group: 'AgentPoolsOperations', … }`. */
export function armCalls(s: Scan = scan()): (SdkCall & { group: string })[] {
  const out: (SdkCall & { group: string })[] = [];
  for (const c of s.calls) {
    if (c.declaredIn.startsWith('@azure/arm-') && /Operations$/.test(c.receiverType)) out.push({ ...c, group: c.receiverType });
    else if (s.armPorts.has(c.receiverType)) out.push({ ...c, group: s.armPorts.get(c.receiverType)! });
  }
  return out;
}

/** Calls on @azure/storage-queue clients. */
export function queueCalls(s: Scan = scan()): SdkCall[] {
  return s.calls.filter((c) => c.declaredIn === '@azure/storage-queue' && /Client$/.test(c.receiverType));
}

export interface HttpRegistration {
  file: string;
  name: string;
  route: string | undefined;
  methods: string[];
  /** undefined when the options are not an object literal with a string literal authLevel. */
  authLevel: string | undefined;
}

/** The production source files, parsed for their syntax only (fast: no type checking). */
export function productionSourceFiles(): ts.SourceFile[] {
  return PRODUCTION_DIRS.flatMap((dir) =>
    (readdirSync(path.join(ROOT, dir), { recursive: true }) as string[])
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
      .map((f) => {
        const file = path.join(ROOT, dir, f);
        return ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
      }),
  );
}

/** `app.http(name, { … })` calls in functions/*.ts, read from the syntax (no host needed). */
export function httpRegistrations(files: ts.SourceFile[] = productionSourceFiles()): HttpRegistration[] {
  const out: HttpRegistration[] = [];
  for (const sf of files) {
    const file = relative(sf.fileName);
    if (!/^functions\/[^/]+\.ts$/.test(file)) continue;
    const visit = (node: ts.Node): void => {
      if (
        ts.isCallExpression(node) &&
        ts.isPropertyAccessExpression(node.expression) &&
        node.expression.expression.getText(sf) === 'app' &&
        node.expression.name.text === 'http'
      ) {
        const [nameArg, options] = node.arguments;
        const literal = options && ts.isObjectLiteralExpression(options) ? options : undefined;
        const prop = (key: string) =>
          literal?.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && p.name.getText(sf) === key)
            ?.initializer;
        const text = (e: ts.Expression | undefined) => (e && ts.isStringLiteralLike(e) ? e.text : undefined);
        const methods = prop('methods');
        out.push({
          file,
          name: nameArg && ts.isStringLiteralLike(nameArg) ? nameArg.text : (nameArg?.getText(sf) ?? '?'),
          route: text(prop('route')),
          methods: methods && ts.isArrayLiteralExpression(methods) ? methods.elements.map((e) => text(e) ?? '?') : [],
          authLevel: text(prop('authLevel')),
        });
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return out;
}

/** The text of property `key` of a call's first (object literal) argument, e.g. `this.namespace`. */
export function firstArgumentProperty(call: ts.CallExpression, key: string): string | undefined {
  const arg = call.arguments[0];
  if (!arg || !ts.isObjectLiteralExpression(arg)) return undefined;
  for (const p of arg.properties) {
    if (ts.isPropertyAssignment(p) && p.name.getText() === key) return p.initializer.getText();
    if (ts.isShorthandPropertyAssignment(p) && p.name.getText() === key) return key;
  }
  return undefined;
}
