// Kubernetes label selectors: the kubectl string syntax (policy files, CLI flags), the API object
// form (PDBs, Deployments), matching and printing. Semantics follow Kubernetes exactly, including
// `k!=v` (NotIn) matching objects that do not carry the key at all.

import { InputError } from './errors';
import type { LabelRequirement, LabelSelector } from './views';

export type ParseSelectorResult = { ok: true; selector: LabelSelector } | { ok: false; error: string };

/** The selector with no requirements: matches everything. */
export const EVERYTHING: LabelSelector = Object.freeze({ requirements: Object.freeze([]) });

// Label key: optional DNS-1123 subdomain prefix (≤ 253) and "/", then a name (≤ 63) that starts
// and ends alphanumeric. Label value: empty, or the same shape as a name.
const NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const MAX_NAME = 63;
const MAX_PREFIX = 253;

/** Why `key` is not a valid label key, or undefined when it is. */
export function labelKeyProblem(key: string): string | undefined {
  if (key === '') return 'label key must not be empty';
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined) {
    if (prefix === '') return `label key "${key}": prefix before "/" must not be empty`;
    if (prefix.length > MAX_PREFIX) return `label key "${key}": prefix must be at most ${MAX_PREFIX} characters`;
    if (!DNS_SUBDOMAIN.test(prefix)) {
      return `label key "${key}": prefix must be a lowercase DNS subdomain (a-z, 0-9, "-", "." ; starting and ending alphanumeric)`;
    }
  }
  if (name === '') return `label key "${key}": name must not be empty`;
  if (name.length > MAX_NAME) return `label key "${key}": name must be at most ${MAX_NAME} characters`;
  if (!NAME.test(name)) {
    return `label key "${key}": name must consist of alphanumerics, "-", "_" or "." and start and end alphanumeric`;
  }
  return undefined;
}

/** Why `value` is not a valid label value, or undefined when it is. */
export function labelValueProblem(value: string): string | undefined {
  if (value === '') return undefined;
  if (value.length > MAX_NAME) return `label value "${value}": must be at most ${MAX_NAME} characters`;
  if (!NAME.test(value)) {
    return `label value "${value}": must consist of alphanumerics, "-", "_" or "." and start and end alphanumeric`;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// kubectl syntax

type TokenKind = 'word' | '=' | '!=' | '!' | '(' | ')' | ',' | 'end';
interface Token {
  kind: TokenKind;
  text: string;
  /** 1-based character position in the input, as a person counts columns. */
  position: number;
}

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r';
}

function isSpecial(c: string): boolean {
  return c === '=' || c === '!' || c === '(' || c === ')' || c === ',' || isSpace(c);
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text.charAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    const position = i + 1;
    const next = text.charAt(i + 1);
    if (c === '=' && next === '=') {
      tokens.push({ kind: '=', text: '==', position });
      i += 2;
    } else if (c === '!' && next === '=') {
      tokens.push({ kind: '!=', text: '!=', position });
      i += 2;
    } else if (c === '=' || c === '!' || c === '(' || c === ')' || c === ',') {
      tokens.push({ kind: c, text: c, position });
      i++;
    } else {
      let j = i;
      while (j < text.length && !isSpecial(text.charAt(j))) j++;
      tokens.push({ kind: 'word', text: text.slice(i, j), position });
      i = j;
    }
  }
  tokens.push({ kind: 'end', text: '', position: text.length + 1 });
  return tokens;
}

class SelectorSyntaxError extends Error {}

function describe(token: Token): string {
  return token.kind === 'end' ? 'end of text' : `"${token.text}"`;
}

function fail(expected: string, token: Token): never {
  throw new SelectorSyntaxError(`expected ${expected} at position ${token.position}, got ${describe(token)}`);
}

const REQUIREMENT = '"key=value", "key!=value", "key in (a,b)", "key notin (a,b)", "key" or "!key"';

/**
 * Parses the kubectl selector syntax (`app=web,tier in (fe,be),!canary`). The empty string is the
 * selector that matches everything. Errors say what was expected and at which (1-based) position.
 */
export function parseSelector(text: string): ParseSelectorResult {
  try {
    return { ok: true, selector: { requirements: parseRequirements(tokenize(text)) } };
  } catch (error) {
    if (error instanceof SelectorSyntaxError) return { ok: false, error: error.message };
    throw error;
  }
}

function parseRequirements(tokens: readonly Token[]): LabelRequirement[] {
  let at = 0;
  const peek = (): Token => tokens[at] ?? tokens[tokens.length - 1]!;
  const take = (): Token => {
    const token = peek();
    if (at < tokens.length - 1) at++;
    return token;
  };
  const key = (expected: string): string => {
    const token = take();
    if (token.kind !== 'word') fail(expected, token);
    const problem = labelKeyProblem(token.text);
    if (problem !== undefined) throw new SelectorSyntaxError(`${problem} (position ${token.position})`);
    return token.text;
  };
  const value = (token: Token): string => {
    const problem = labelValueProblem(token.text);
    if (problem !== undefined) throw new SelectorSyntaxError(`${problem} (position ${token.position})`);
    return token.text;
  };

  const requirements: LabelRequirement[] = [];
  if (peek().kind === 'end') return requirements;
  for (;;) {
    if (peek().kind === '!') {
      take();
      requirements.push({ key: key('a label key after "!"'), operator: 'DoesNotExist', values: [] });
    } else {
      const k = key(REQUIREMENT);
      const op = peek();
      if (op.kind === '=' || op.kind === '!=') {
        take();
        // `k=` selects the empty value, as in Kubernetes.
        const v = peek().kind === 'word' ? value(take()) : '';
        if (peek().kind !== ',' && peek().kind !== 'end') fail('"," or end of text', peek());
        requirements.push({ key: k, operator: op.kind === '=' ? 'In' : 'NotIn', values: [v] });
      } else if (op.kind === 'word' && (op.text === 'in' || op.text === 'notin')) {
        take();
        requirements.push({ key: k, operator: op.text === 'in' ? 'In' : 'NotIn', values: valueList() });
      } else if (op.kind === ',' || op.kind === 'end') {
        requirements.push({ key: k, operator: 'Exists', values: [] });
      } else {
        fail(`"=", "==", "!=", "in", "notin", "," or end of text after "${k}"`, op);
      }
    }
    const separator = take();
    if (separator.kind === 'end') return requirements;
    if (separator.kind !== ',') fail('"," or end of text', separator);
  }

  function valueList(): string[] {
    const open = take();
    if (open.kind !== '(') fail('"("', open);
    const values: string[] = [];
    if (peek().kind === ')') fail('a label value', peek());
    for (;;) {
      // An empty element (`(a,)`) is the empty value, as in Kubernetes; only `()` is refused.
      const token = peek();
      if (token.kind !== 'word' && token.kind !== ',' && token.kind !== ')') fail('a label value', token);
      const v = token.kind === 'word' ? value(take()) : '';
      if (!values.includes(v)) values.push(v);
      const after = take();
      if (after.kind === ')') return values;
      if (after.kind !== ',') fail('"," or ")"', after);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// API object form

export interface KubernetesLabelSelector {
  matchLabels?: Readonly<Record<string, string>> | null;
  matchExpressions?: readonly { key: string; operator: string; values?: readonly string[] | null }[] | null;
}

/**
 * The API form (`matchLabels` / `matchExpressions`) as a LabelSelector. A null or absent selector
 * matches nothing (a PDB with no selector protects no pod) and is returned as undefined; `{}`
 * matches everything. Objects the API server accepted are always valid; a hand-written dump with
 * an unknown operator or an In/NotIn without values throws an InputError naming the field.
 */
export function selectorFromKubernetes(obj: KubernetesLabelSelector | null | undefined): LabelSelector | undefined {
  if (obj === null || obj === undefined) return undefined;
  const requirements: LabelRequirement[] = [];
  const problems: string[] = [];
  for (const [key, value] of Object.entries(obj.matchLabels ?? {})) {
    requirements.push({ key, operator: 'In', values: [value] });
  }
  (obj.matchExpressions ?? []).forEach((expression, index) => {
    const at = `matchExpressions[${index}]`;
    const values = expression.values ?? [];
    switch (expression.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) problems.push(`${at}.values: operator ${expression.operator} needs at least one value`);
        requirements.push({ key: expression.key, operator: expression.operator, values: [...values] });
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) problems.push(`${at}.values: operator ${expression.operator} takes no values`);
        requirements.push({ key: expression.key, operator: expression.operator, values: [] });
        break;
      default:
        problems.push(`${at}.operator: expected In, NotIn, Exists or DoesNotExist, got "${String(expression.operator)}"`);
    }
  });
  if (problems.length > 0) throw new InputError(problems);
  return { requirements };
}

// ---------------------------------------------------------------------------------------------
// Matching and printing

/** Whether `labels` satisfy every requirement. Runs once per pod per selector: allocation-free. */
export function matchesSelector(selector: LabelSelector, labels: Readonly<Record<string, string>>): boolean {
  const requirements = selector.requirements;
  for (let i = 0; i < requirements.length; i++) {
    const requirement = requirements[i]!;
    // typeof, not `in`: inherited Object.prototype members ("constructor") are not labels.
    const value = labels[requirement.key];
    const present = typeof value === 'string';
    switch (requirement.operator) {
      case 'In':
        if (!present || !requirement.values.includes(value)) return false;
        break;
      case 'NotIn':
        if (present && requirement.values.includes(value)) return false;
        break;
      case 'Exists':
        if (!present) return false;
        break;
      case 'DoesNotExist':
        if (present) return false;
        break;
    }
  }
  return true;
}

/**
 * The commonest selector, one `key=value` (`app=bg`, `clomo/descheduling=enabled`), as the one label
 * to compare, or undefined for any other. The one walk over every pod compares that label itself,
 * each test at its own call site: the same answer as matchesSelector, at a fraction of its cost.
 */
export function singleLabel(selector: LabelSelector): { key: string; value: string } | undefined {
  const requirements = selector.requirements;
  if (requirements.length !== 1) return undefined;
  const { key, operator, values } = requirements[0]!;
  return operator === 'In' && values.length === 1 ? { key, value: values[0]! } : undefined;
}

/** Back to kubectl syntax; `parseSelector(formatSelector(s))` gives `s` again. */
export function formatSelector(selector: LabelSelector): string {
  return selector.requirements
    .map((r) => {
      switch (r.operator) {
        case 'Exists':
          return r.key;
        case 'DoesNotExist':
          return `!${r.key}`;
        case 'In':
          return r.values.length === 1 ? `${r.key}=${r.values[0]}` : `${r.key} in (${r.values.join(',')})`;
        case 'NotIn':
          return r.values.length === 1 ? `${r.key}!=${r.values[0]}` : `${r.key} notin (${r.values.join(',')})`;
      }
    })
    .join(',');
}
