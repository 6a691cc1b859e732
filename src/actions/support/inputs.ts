/**
 * Reading action inputs once, up front. Every problem is a ConfigurationError that
 * names the input and what it accepts.
 */
import * as core from '@actions/core';
import { ConfigurationError } from '../../core/errors.js';

/** Trimmed input; '' when absent. */
export function optionalInput(name: string): string {
  return core.getInput(name, { trimWhitespace: true });
}

export function requiredInput(name: string, expected: string): string {
  const value = optionalInput(name);
  if (value === '') throw new ConfigurationError(name, undefined, expected);
  return value;
}

/** Raw multi-line input (lists keep their newlines). */
export function listInput(name: string): string {
  return core.getInput(name, { trimWhitespace: false });
}

export function booleanInput(name: string, fallback: boolean): boolean {
  const value = optionalInput(name).toLowerCase();
  if (value === '') return fallback;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new ConfigurationError(name, optionalInput(name), 'true or false');
}

/** One of `choices`; `fallback` when absent, or required when there is none. */
export function choiceInput<T extends string>(
  name: string,
  choices: readonly T[],
  fallback: T | undefined,
): T {
  const value = optionalInput(name);
  if (value === '' && fallback !== undefined) return fallback;
  if (value === '') throw new ConfigurationError(name, undefined, `one of ${choices.join(', ')}`);
  if ((choices as readonly string[]).includes(value)) return value as T;
  throw new ConfigurationError(name, value, `one of ${choices.join(', ')}`);
}

/** An optional secret input ('' when absent), masked in the log before anything can print it. */
export function secretInput(name: string): string {
  const value = optionalInput(name);
  if (value !== '') core.setSecret(value);
  return value;
}

/** A token input: required, masked in the log before anything else can print it. */
export function tokenInput(name = 'token'): string {
  const token = secretInput(name);
  if (token === '') {
    throw new ConfigurationError(
      name,
      undefined,
      'a GitHub token with contents: write on the GitOps repository (the default is github.token)',
    );
  }
  return token;
}
