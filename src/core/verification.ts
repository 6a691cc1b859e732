/**
 * The verification record smoke-dev writes and promote-prod's gate reads (DESIGN §4):
 * on GitHub a commit status (context `tagrelay/smoke/<env>/<app>`) plus a Deployment
 * with payload `{app, tag, digest}`; in a local checkout a JSON git note under
 * `refs/notes/tagrelay`. Both are read back into the same record type, and the gate
 * takes the newest record for an app, env and tag. Pure.
 */
import { readReleaseImage, type ReleaseKeys } from './release-file/edit.js';

export type VerificationResult = 'success' | 'failure';

export interface CheckedUrl {
  url: string;
  status: number | null;
  result: 'pass' | 'fail' | 'skip';
}

export interface VerificationRecord {
  app: string;
  env: string;
  tag: string;
  digest?: string;
  result: VerificationResult;
  /** ISO 8601 time the checks finished. */
  checkedAt: string;
  /** The workflow run (or whatever ran the checks). */
  runUrl?: string;
  /** The base URL that was checked. */
  url?: string;
  /** Why it failed, in a few words (failures only). */
  reason?: string;
  checks: CheckedUrl[];
  /** The GitOps commit the record is attached to (set by readers). */
  commit?: string;
  /** Where it was read from: `status`, `deployment`, `note`. */
  source?: 'status' | 'deployment' | 'note';
}

export const NOTES_REF = 'refs/notes/tagrelay';
export const STATUS_CONTEXT_PREFIX = 'tagrelay/smoke/';
const MAX_DESCRIPTION = 140;

/** `tagrelay/smoke/<env>/<app>`. */
export function statusContext(env: string, app: string): string {
  return `${STATUS_CONTEXT_PREFIX}${env}/${app}`;
}

/** Inverse of statusContext; undefined for other contexts. */
export function parseStatusContext(context: string): { env: string; app: string } | undefined {
  const match = /^tagrelay\/smoke\/([a-z0-9-]+)\/([a-z0-9-]+)$/.exec(context);
  return match ? { env: match[1] as string, app: match[2] as string } : undefined;
}

/**
 * The commit status description: `passed: <tag> (3 of 3 checks)` or `failed: <tag> (…)`,
 * at most 140 characters (GitHub's limit), always with the whole tag (≤ 128).
 */
export function recordDescription(
  record: Pick<VerificationRecord, 'tag' | 'result' | 'checks' | 'reason'>,
  reason = record.reason,
): string {
  const head = `${record.result === 'success' ? 'passed' : 'failed'}: ${record.tag}`;
  const passed = record.checks.filter((check) => check.result !== 'fail').length;
  const detail =
    record.result === 'success'
      ? `${passed} of ${record.checks.length} checks`
      : (reason ?? `${passed} of ${record.checks.length} checks passed`);
  const full = `${head} (${detail})`;
  if (full.length <= MAX_DESCRIPTION) return full;
  const room = MAX_DESCRIPTION - head.length - 3; // " (" + "…)" less one
  return room >= 2 ? `${head} (${detail.slice(0, room - 1)}…)` : head.slice(0, MAX_DESCRIPTION);
}

/** The tag and result a description carries; undefined when it is not ours. */
export function parseRecordDescription(
  description: string,
): { result: VerificationResult; tag: string } | undefined {
  const match = /^(passed|failed): ([A-Za-z0-9_][A-Za-z0-9._-]{0,127})(?: \(|$)/.exec(description);
  if (!match) return undefined;
  return { result: match[1] === 'passed' ? 'success' : 'failure', tag: match[2] as string };
}

/** A status context as GraphQL (`StatusContext`) or REST (`target_url`, `created_at`) gives it. */
export interface StatusContextLike {
  context: string;
  state: string;
  description: string | null;
  targetUrl?: string | null;
  createdAt: string;
}

/** A record from a commit status written by smoke-dev; undefined for any other status. */
export function recordFromStatus(status: StatusContextLike, commit?: string): VerificationRecord | undefined {
  const names = parseStatusContext(status.context);
  const parsed = status.description ? parseRecordDescription(status.description) : undefined;
  if (!names || !parsed) return undefined;
  const state = status.state.toLowerCase();
  if (state !== 'success' && state !== 'failure' && state !== 'error') return undefined;
  const record: VerificationRecord = {
    app: names.app,
    env: names.env,
    tag: parsed.tag,
    // A success needs both: the state and smoke-dev's own "passed" (a state set by hand over
    // a "failed" description does not verify anything).
    result: state === 'success' && parsed.result === 'success' ? 'success' : 'failure',
    checkedAt: status.createdAt,
    checks: [],
    source: 'status',
  };
  if (status.targetUrl) record.runUrl = status.targetUrl;
  if (commit !== undefined) record.commit = commit;
  return record;
}

/** The Deployment payload: `{app, tag, digest}` (digest null when unknown). */
export function deploymentPayload(record: Pick<VerificationRecord, 'app' | 'tag' | 'digest'>): {
  app: string;
  tag: string;
  digest: string | null;
} {
  return { app: record.app, tag: record.tag, digest: record.digest ?? null };
}

export interface DeploymentLike {
  environment: string | null;
  /** JSON text (GraphQL) or an object (REST). */
  payload: string | Record<string, unknown> | null;
  /** The latest deployment status. */
  state: string | null;
  createdAt: string;
  logUrl?: string | null;
}

/** A record from a Deployment written by smoke-dev; undefined when the payload is not ours. */
export function recordFromDeployment(
  deployment: DeploymentLike,
  commit?: string,
): VerificationRecord | undefined {
  let payload: unknown = deployment.payload;
  if (typeof payload === 'string') {
    try {
      payload = JSON.parse(payload);
    } catch {
      return undefined;
    }
  }
  if (!isRecord(payload) || typeof payload.app !== 'string' || typeof payload.tag !== 'string')
    return undefined;
  const state = (deployment.state ?? '').toLowerCase();
  if (state !== 'success' && state !== 'failure' && state !== 'error') return undefined;
  if (!deployment.environment) return undefined;
  const record: VerificationRecord = {
    app: payload.app,
    env: deployment.environment,
    tag: payload.tag,
    result: state === 'success' ? 'success' : 'failure',
    checkedAt: deployment.createdAt,
    checks: [],
    source: 'deployment',
  };
  if (typeof payload.digest === 'string') record.digest = payload.digest;
  if (deployment.logUrl) record.runUrl = deployment.logUrl;
  if (commit !== undefined) record.commit = commit;
  return record;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const time = (record: VerificationRecord) => {
  const parsed = Date.parse(record.checkedAt);
  return Number.isNaN(parsed) ? -Infinity : parsed;
};

/**
 * The newest record for app + env + tag, or undefined. Ties (same second) go to the later
 * record in the list; a record from a note or status outranks a deployment of the same time.
 */
export function newestRecord(
  records: readonly VerificationRecord[],
  app: string,
  env: string,
  tag: string,
): VerificationRecord | undefined {
  let best: VerificationRecord | undefined;
  for (const record of records) {
    if (record.app !== app || record.env !== env || record.tag !== tag) continue;
    if (best === undefined || time(record) >= time(best)) best = mergeSameRun(best, record);
  }
  return best;
}

/** Keeps the newer record, filling its digest from an equal-time twin (a status and its deployment). */
function mergeSameRun(older: VerificationRecord | undefined, newer: VerificationRecord): VerificationRecord {
  if (older === undefined || newer.digest !== undefined || older.digest === undefined) return newer;
  return Math.abs(time(newer) - time(older)) < 60_000 && newer.result === older.result
    ? { ...newer, digest: older.digest }
    : newer;
}

/** The JSON document of one commit's note: records of several apps and environments. */
export interface NoteDocument {
  tagrelay: 1;
  records: VerificationRecord[];
}

/** Parses a note; records that do not have the expected shape are dropped, not trusted. */
export function parseNote(text: string | null | undefined): NoteDocument {
  if (!text) return { tagrelay: 1, records: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { tagrelay: 1, records: [] };
  }
  const list = isRecord(parsed) && Array.isArray(parsed.records) ? parsed.records : [];
  return {
    tagrelay: 1,
    records: list.map(validRecord).filter((record): record is VerificationRecord => record !== undefined),
  };
}

function validRecord(value: unknown): VerificationRecord | undefined {
  if (!isRecord(value)) return undefined;
  const { app, env, tag, result, checkedAt, digest, runUrl, url, reason, checks } = value;
  if (
    typeof app !== 'string' ||
    typeof env !== 'string' ||
    typeof tag !== 'string' ||
    typeof checkedAt !== 'string'
  )
    return undefined;
  if (result !== 'success' && result !== 'failure') return undefined;
  const record: VerificationRecord = {
    app,
    env,
    tag,
    result,
    checkedAt,
    checks: Array.isArray(checks)
      ? checks.filter(isRecord).map((check) => ({
          url: String(check.url ?? ''),
          status: typeof check.status === 'number' ? check.status : null,
          result: check.result === 'pass' || check.result === 'skip' ? check.result : 'fail',
        }))
      : [],
  };
  if (typeof digest === 'string') record.digest = digest;
  if (typeof runUrl === 'string') record.runUrl = runUrl;
  if (typeof url === 'string') record.url = url;
  if (typeof reason === 'string') record.reason = reason;
  return record;
}

/** How many records one note keeps (the newest); bounds a note that many runs share. */
export const MAX_NOTE_RECORDS = 200;

/** Adds a record to a note: the newest record per app, env and tag wins. */
export function mergeNote(note: NoteDocument, record: VerificationRecord): NoteDocument {
  const { commit: _commit, source: _source, ...stored } = record;
  const key = (r: VerificationRecord) => `${r.app}\0${r.env}\0${r.tag}`;
  const newer = note.records.find(
    (existing) => key(existing) === key(stored) && time(existing) > time(stored),
  );
  const records = newer
    ? [...note.records]
    : [...note.records.filter((existing) => key(existing) !== key(stored)), stored];
  records.sort((a, b) => time(a) - time(b));
  return { tagrelay: 1, records: records.slice(-MAX_NOTE_RECORDS) };
}

export function noteText(note: NoteDocument): string {
  return `${JSON.stringify(note, null, 2)}\n`;
}

/** One commit in the history of a release file, newest first; `text` is the file at that commit. */
export interface ReleaseFileRevision {
  oid: string;
  text: string | null;
}

/**
 * The GitOps commit that set `tag` in a release file: walking the file's history newest
 * first, the oldest commit of the newest run of commits where the file has that tag.
 * Undefined when the history does not show the tag.
 */
export function commitThatSetTag(
  path: string,
  history: readonly ReleaseFileRevision[],
  tag: string,
  keys?: ReleaseKeys,
): string | undefined {
  let found: string | undefined;
  for (const revision of history) {
    let current: string | undefined;
    if (revision.text !== null) {
      try {
        current = readReleaseImage(path, revision.text, keys).tag;
      } catch {
        current = undefined;
      }
    }
    if (current === tag) found = revision.oid;
    else if (found !== undefined) return found;
  }
  return found;
}
