/**
 * Just enough of the runner's composite-action machinery to run a composite's own steps
 * as it would: an action's inputs with their defaults, `${{ }}` expressions in `env:`,
 * `with:` and `if:` (the subset the project's composites use: `inputs.*`, `steps.*.outputs.*`,
 * `github.*`, string literals, `==`, `!=`, `&&`, `||`, parentheses), evaluated against the
 * outputs of the steps that ran.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from './run-action.js';

export interface CompositeStep {
  id?: string;
  name?: string;
  if?: string;
  uses?: string;
  run?: string;
  with?: Record<string, string>;
  env?: Record<string, string>;
}

export interface CompositeAction {
  inputs: Record<string, { default?: string; required?: boolean }>;
  outputs: Record<string, { value: string }>;
  steps: CompositeStep[];
}

export interface ExpressionContext {
  inputs: Record<string, string>;
  steps: Record<string, { outputs: Record<string, string> }>;
  github: Record<string, string>;
}

export function loadComposite(path: string): CompositeAction {
  const action = parse(readFileSync(join(ROOT, path), 'utf8')) as {
    inputs: CompositeAction['inputs'];
    outputs: CompositeAction['outputs'];
    runs: { steps: CompositeStep[] };
  };
  return { inputs: action.inputs, outputs: action.outputs, steps: action.runs.steps };
}

type Token =
  { kind: 'op'; value: string } | { kind: 'string'; value: string } | { kind: 'path'; value: string };

function tokenize(expression: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /\s*(?:(==|!=|&&|\|\||\(|\))|'((?:[^']|'')*)'|([A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)*))/y;
  let index = 0;
  while (index < expression.length) {
    pattern.lastIndex = index;
    const match = pattern.exec(expression);
    if (!match) {
      if (expression.slice(index).trim() === '') break;
      throw new Error(`cannot read expression ${JSON.stringify(expression)} at ${index}`);
    }
    index = pattern.lastIndex;
    if (match[1] !== undefined) tokens.push({ kind: 'op', value: match[1] });
    else if (match[2] !== undefined) tokens.push({ kind: 'string', value: match[2].replace(/''/g, "'") });
    else tokens.push({ kind: 'path', value: match[3] as string });
  }
  return tokens;
}

function lookup(path: string, context: ExpressionContext): string {
  const parts = path.split('.');
  if (parts[0] === 'inputs') return context.inputs[parts[1] as string] ?? '';
  if (parts[0] === 'github') return context.github[parts[1] as string] ?? '';
  if (parts[0] === 'steps' && parts[2] === 'outputs') {
    return context.steps[parts[1] as string]?.outputs[parts[3] as string] ?? '';
  }
  throw new Error(`unsupported context ${path}`);
}

/** Evaluates one expression (without `${{ }}`) to the string GitHub would substitute. */
export function evaluate(expression: string, context: ExpressionContext): string {
  const tokens = tokenize(expression);
  let position = 0;
  const peek = () => tokens[position];
  const primary = (): string => {
    const token = tokens[position++];
    if (!token) throw new Error(`unexpected end of ${expression}`);
    if (token.kind === 'string') return token.value;
    if (token.kind === 'path')
      return token.value === 'true' || token.value === 'false' ? token.value : lookup(token.value, context);
    if (token.value === '(') {
      const value = or();
      position++;
      return value;
    }
    throw new Error(`unexpected ${token.value} in ${expression}`);
  };
  const comparison = (): string => {
    const left = primary();
    const op = peek();
    if (op?.kind === 'op' && (op.value === '==' || op.value === '!=')) {
      position++;
      const right = primary();
      // Strings compare case-insensitively in GitHub expressions.
      const equal = left.toLowerCase() === right.toLowerCase();
      return String(op.value === '==' ? equal : !equal);
    }
    return left;
  };
  const truthy = (value: string) => value !== '' && value !== 'false';
  const and = (): string => {
    let value = comparison();
    while (peek()?.kind === 'op' && peek()?.value === '&&') {
      position++;
      const right = comparison();
      value = truthy(value) ? right : value;
    }
    return value;
  };
  function or(): string {
    let value = and();
    while (peek()?.kind === 'op' && peek()?.value === '||') {
      position++;
      const right = and();
      value = truthy(value) ? value : right;
    }
    return value;
  }
  const result = or();
  if (position !== tokens.length) throw new Error(`trailing tokens in ${expression}`);
  return result;
}

/** Substitutes every `${{ … }}` of a template. */
export function substitute(template: string, context: ExpressionContext): string {
  return template.replace(/\$\{\{([\s\S]*?)\}\}/g, (_, expression: string) => evaluate(expression, context));
}

/** Whether a step's `if:` holds (a bare expression, or one in `${{ }}`). */
export function runs(step: CompositeStep, context: ExpressionContext): boolean {
  if (step.if === undefined) return true;
  const expression = /^\s*\$\{\{([\s\S]*)\}\}\s*$/.exec(step.if)?.[1] ?? step.if;
  const value = evaluate(expression, context);
  return value !== '' && value !== 'false';
}

/** The action's inputs as its steps see them: given values over defaults (defaults may be expressions). */
export function actionInputs(
  action: CompositeAction,
  given: Record<string, string>,
  github: Record<string, string>,
): Record<string, string> {
  const context: ExpressionContext = { inputs: {}, steps: {}, github };
  const inputs: Record<string, string> = {};
  for (const [name, spec] of Object.entries(action.inputs)) {
    inputs[name] = given[name] ?? substitute(spec.default ?? '', context);
  }
  for (const name of Object.keys(given)) {
    if (!(name in action.inputs)) throw new Error(`the action declares no input ${name}`);
  }
  return inputs;
}

export function stepEnv(step: CompositeStep, context: ExpressionContext): Record<string, string> {
  return Object.fromEntries(
    Object.entries(step.env ?? {}).map(([name, value]) => [name, substitute(String(value), context)]),
  );
}
