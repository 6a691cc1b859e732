/**
 * The tag build-and-tag gives an image: a template (input `tag-format`) filled from the
 * commit and the run. Default `sha-{sha12}`: `sha-` and the first 12 hex digits of the commit.
 *
 *     {sha}         the commit SHA as given (7-40 hex, lowercased)
 *     {sha7}        its first 7 hex digits
 *     {sha12}       its first 12 hex digits
 *     {run_number}  the workflow run number
 *     {date}        a UTC date as YYYYMMDD, passed in (the core has no clock)
 *     {branch}      the branch, slugged to the OCI tag grammar
 *
 * The result must be a valid, allowed tag (`validateTag`: so `latest` is refused).
 */
import { ConfigurationError } from './errors.js';
import { validateTag } from './names.js';

export const DEFAULT_TAG_FORMAT = 'sha-{sha12}';

export interface TagFormatValues {
  /** Commit SHA, 7-40 hex digits. */
  sha: string;
  runNumber?: string | number;
  /** UTC date, YYYYMMDD. */
  date?: string;
  /** Branch name, plain (`feature/x`) or as a ref (`refs/heads/feature/x`). */
  branch?: string;
}

export interface TagFormatOptions {
  /** Tags refused although well-formed (see validateTag); default `latest`. */
  denied?: readonly string[];
  /** Input names for messages; the defaults are the action's input names. */
  inputs?: Partial<Record<'format' | 'sha' | 'runNumber' | 'date' | 'branch', string>>;
}

const SHA = /^[0-9a-fA-F]{7,40}$/;
const RUN_NUMBER = /^[1-9][0-9]{0,18}$/;
const DATE = /^(\d{4})(\d{2})(\d{2})$/;
const PLACEHOLDER = /\{([^{}]*)\}/g;
const PLACEHOLDERS = ['{sha}', '{sha7}', '{sha12}', '{run_number}', '{date}', '{branch}'];
/** Longest branch slug put into a tag, so the branch cannot crowd out the rest of the template. */
export const BRANCH_SLUG_MAX = 63;

/** A branch as a tag fragment: `refs/heads/` dropped, runs outside [A-Za-z0-9._-] become one `-`. */
export function slugBranch(branch: string): string {
  return branch
    .replace(/^refs\/heads\//, '')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[.-]+/, '')
    .slice(0, BRANCH_SLUG_MAX)
    .replace(/[.-]+$/, '');
}

function isCalendarDate(value: string): boolean {
  const match = DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** `Date` → `YYYYMMDD` in UTC; for the edges, which own the clock. */
export function utcDate(date: Date): string {
  return date.toISOString().slice(0, 10).replace(/-/g, '');
}

/** Renders the tag; every mistake is a ConfigurationError naming the input at fault. */
export function renderTagFormat(
  format: string | undefined,
  values: TagFormatValues,
  options: TagFormatOptions = {},
): string {
  const names = {
    format: 'tag-format',
    sha: 'sha',
    runNumber: 'run-number',
    date: 'date',
    branch: 'branch',
    ...options.inputs,
  };
  const template = format === undefined || format === '' ? DEFAULT_TAG_FORMAT : format;
  const sha = values.sha;
  if (!SHA.test(sha)) {
    throw new ConfigurationError(names.sha, sha === '' ? undefined : sha, 'a commit SHA of 7-40 hex digits');
  }
  const needs = (placeholder: string, input: string, value: string | undefined, expected: string) => {
    if (value === undefined || value === '') {
      throw new ConfigurationError(
        input,
        undefined,
        `${expected}, because ${names.format} uses ${placeholder}`,
      );
    }
    return value;
  };

  if (/[{}]/.test(template.replace(PLACEHOLDER, ''))) {
    throw new ConfigurationError(names.format, template, 'a template whose braces enclose placeholders');
  }
  const rendered = template.replace(PLACEHOLDER, (whole, name: string) => {
    switch (name) {
      case 'sha':
        return sha.toLowerCase();
      case 'sha7':
      case 'sha12': {
        const length = name === 'sha7' ? 7 : 12;
        if (sha.length < length) {
          throw new ConfigurationError(
            names.sha,
            sha,
            `at least ${length} hex digits, because ${names.format} uses ${whole}`,
          );
        }
        return sha.slice(0, length).toLowerCase();
      }
      case 'run_number': {
        const run = needs(whole, names.runNumber, values.runNumber?.toString(), 'a run number');
        if (!RUN_NUMBER.test(run))
          throw new ConfigurationError(names.runNumber, run, 'a positive whole number');
        return run;
      }
      case 'date': {
        const date = needs(whole, names.date, values.date, 'a UTC date as YYYYMMDD');
        if (!isCalendarDate(date)) throw new ConfigurationError(names.date, date, 'a UTC date as YYYYMMDD');
        return date;
      }
      case 'branch': {
        const branch = needs(whole, names.branch, values.branch, 'a branch name');
        const slug = slugBranch(branch);
        if (slug === '') {
          throw new ConfigurationError(names.branch, branch, 'a branch name with a letter or digit in it');
        }
        return slug;
      }
      default:
        throw new ConfigurationError(
          names.format,
          template,
          `placeholders among ${PLACEHOLDERS.join(', ')}; ${whole} is unknown`,
        );
    }
  });
  return validateTag(rendered, {
    input: names.format,
    ...(options.denied ? { denied: options.denied } : {}),
  });
}
