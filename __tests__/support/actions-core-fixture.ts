/**
 * A stand-in for `@actions/core` (as actions/typescript-action's __fixtures__/core.ts),
 * for fast in-process tests of input readers, steps and summaries: inputs come from a
 * map, everything the code tells the runner is recorded. The job summary is the real
 * one from @actions/core, writing to the file GITHUB_STEP_SUMMARY names.
 */
import { jest } from '@jest/globals';
// Loaded by path: the package exports only its main module.
import { summary } from '../../node_modules/@actions/core/lib/summary.js';

export interface RunnerRecord {
  inputs: Record<string, string>;
  secrets: string[];
  outputs: Record<string, string>;
  failed: string[];
  /** Every log call in order: `info: text`, `error: text`, `group: title`, … */
  log: string[];
  annotations: { level: string; message: string; properties?: unknown }[];
}

export const record: RunnerRecord = {
  inputs: {},
  secrets: [],
  outputs: {},
  failed: [],
  log: [],
  annotations: [],
};

export function resetRunner(inputs: Record<string, string> = {}): void {
  record.inputs = inputs;
  record.secrets = [];
  record.outputs = {};
  record.failed = [];
  record.log = [];
  record.annotations = [];
}

// The runner reads INPUT_* as given and trims by default, as getInput does.
const getInput = jest.fn((name: string, options?: { trimWhitespace?: boolean }) => {
  const value = record.inputs[name] ?? '';
  return options?.trimWhitespace === false ? value : value.trim();
});
const annotate = (level: string) =>
  jest.fn((message: string | Error, properties?: unknown) => {
    const text = message instanceof Error ? message.message : message;
    record.log.push(`${level}: ${text}`);
    record.annotations.push({ level, message: text, properties });
  });

export const coreFixture = {
  getInput,
  setSecret: jest.fn((secret: string) => void record.secrets.push(secret)),
  setOutput: jest.fn((name: string, value: unknown) => void (record.outputs[name] = String(value))),
  setFailed: jest.fn((message: string | Error) => {
    record.failed.push(message instanceof Error ? message.message : message);
  }),
  debug: jest.fn((text: string) => void record.log.push(`debug: ${text}`)),
  info: jest.fn((text: string) => void record.log.push(`info: ${text}`)),
  warning: annotate('warning'),
  notice: annotate('notice'),
  error: annotate('error'),
  group: jest.fn(async <T>(title: string, body: () => Promise<T>): Promise<T> => {
    record.log.push(`group: ${title}`);
    try {
      return await body();
    } finally {
      record.log.push('endgroup');
    }
  }),
  summary,
};
