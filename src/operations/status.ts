/**
 * The status of a GitOps branch: the tag of every app in every environment of the
 * chain, read at one commit, with the promotions still pending.
 */
import { ConfigurationError, ConflictError } from '../core/errors.js';
import { DEFAULT_LAYOUT, LAYOUT_CONFIG_PATH, releaseFilePath, type Layout } from '../core/layout.js';
import { layoutFrom } from '../core/plan.js';
import { readReleaseImage, type ImageValues } from '../core/release-file/edit.js';
import { commitThatSet } from '../core/release-history.js';
import { newestRecord } from '../core/verification.js';
import type { HistorySnapshot, ReleaseHistorySource } from './promote.js';

export interface StatusCell {
  path: string;
  /** null: the release file does not exist. */
  image: ImageValues | null;
  error?: string;
  /** The commit that set the current tag, when the file's recent history shows it. */
  setBy?: { commit: string; url?: string; date?: string };
  /** The newest verification record for this tag in this environment. */
  verified?: { result: 'success' | 'failure'; at: string; by?: string };
}

export interface StatusRow {
  app: string;
  environments: Record<string, StatusCell>;
  /** Adjacent environments whose tags differ: a promotion from `env` to `of` is pending. */
  ahead: { env: string; of: string }[];
}

export interface StatusReport {
  target: string;
  branch: string;
  commit: string;
  environments: readonly string[];
  apps: StatusRow[];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** How far back a release file's history is read for who set the tag and its record. */
const STATUS_HISTORY_DEPTH = 10;

/** Lists the apps that have a release file, at a commit (a tree read). */
export type AppDiscovery = (commit: string, layout: Layout) => Promise<string[]>;

function cellFor(layout: Layout, env: string, app: string, snapshot: HistorySnapshot): StatusCell {
  const path = releaseFilePath(layout, env, app);
  const text = snapshot.files.get(path) ?? null;
  if (text === null) return { path, image: null };
  let image: ImageValues;
  try {
    image = readReleaseImage(path, text, layout.keys);
  } catch (error) {
    return { path, image: null, error: error instanceof Error ? error.message : String(error) };
  }
  const cell: StatusCell = { path, image };
  const history = snapshot.history.get(path) ?? [];
  const tag = image.tag;
  if (tag === undefined) return cell;
  const setBy = commitThatSet(path, history, tag, layout);
  if (setBy) cell.setBy = { commit: setBy.oid, url: setBy.url, date: setBy.date };
  const record = newestRecord(
    history.flatMap((revision) => revision.records),
    app,
    env,
    tag,
  );
  if (record) cell.verified = { result: record.result, at: record.checkedAt, by: record.runUrl };
  return cell;
}

/**
 * Reads the layout, then every release file of `apps` × environments with its recent
 * history (who set each tag, and its verification record) at one commit. Without apps,
 * `discover` lists them from the tree first.
 */
export async function collectStatus(
  target: ReleaseHistorySource,
  branch: string | undefined,
  apps: readonly string[] | undefined,
  discover?: AppDiscovery,
): Promise<StatusReport> {
  const guess = (apps ?? []).flatMap((app) =>
    DEFAULT_LAYOUT.environments.map((env) => releaseFilePath(DEFAULT_LAYOUT, env, app)),
  );
  let paths = guess;
  for (let attempt = 0; attempt < 5; attempt++) {
    const snapshot = await target.readWithHistory(
      branch,
      [LAYOUT_CONFIG_PATH, ...paths],
      paths,
      STATUS_HISTORY_DEPTH,
    );
    branch = snapshot.branch;
    const layout = layoutFrom(snapshot.files);
    if ('need' in layout) throw new Error(`expected ${layout.need} to be read`);
    if (apps === undefined) {
      if (!discover) throw new ConfigurationError('app', undefined, 'the apps to show');
      apps = await discover(snapshot.headOid, layout);
    }
    const names = apps;
    const needed = names.flatMap((app) =>
      layout.environments.map((env) => releaseFilePath(layout, env, app)),
    );
    if (needed.some((path) => !snapshot.files.has(path) || !snapshot.history.has(path))) {
      paths = needed;
      continue;
    }
    const rows = names.map((app): StatusRow => {
      const environments: Record<string, StatusCell> = {};
      for (const env of layout.environments) environments[env] = cellFor(layout, env, app, snapshot);
      const ahead: StatusRow['ahead'] = [];
      layout.environments.forEach((env, index) => {
        const next = layout.environments[index + 1];
        if (next === undefined) return;
        const from = environments[env]?.image?.tag;
        const to = environments[next]?.image?.tag;
        if (from !== undefined && to !== undefined && from !== to) ahead.push({ env, of: next });
      });
      return { app, environments, ahead };
    });
    return {
      target: target.description,
      branch: snapshot.branch,
      commit: snapshot.headOid,
      environments: layout.environments,
      apps: rows,
    };
  }
  throw new ConflictError(
    `${branch ?? 'the branch'} of ${target.description} kept changing while reading; try again`,
  );
}

/** A store that lists the entries of folders at a commit (one tree read on GitHub). */
export interface FolderLister {
  /** Entry names per folder; a missing folder lists nothing. */
  listFolders(commit: string, folders: readonly string[]): Promise<Map<string, string[]>>;
}

/** Where the release template puts apps per environment: the folder, and the entry name pattern. */
function discoveryFolders(layout: Layout): { env: string; folder: string; entry: RegExp }[] {
  return layout.environments.map((env) => {
    const path = releaseFilePath(layout, env, '{app}');
    const segments = path.split('/');
    const at = segments.findIndex((segment) => segment.includes('{app}'));
    const entry = escapeRegExp(segments[at] as string).replace(
      escapeRegExp('{app}'),
      '(?<app>[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?)',
    );
    return { env, folder: segments.slice(0, at).join('/'), entry: new RegExp(`^${entry}$`) };
  });
}

/** Apps discovered from the folders the release template names, with one listing. */
export function folderDiscovery(lister: FolderLister): AppDiscovery {
  return async (commit, layout) => {
    const folders = discoveryFolders(layout);
    const listing = await lister.listFolders(
      commit,
      folders.map((entry) => entry.folder),
    );
    const apps = new Set<string>();
    for (const { folder, entry } of folders) {
      for (const name of listing.get(folder) ?? []) {
        const app = entry.exec(name)?.groups?.app;
        if (app !== undefined) apps.add(app);
      }
    }
    return [...apps].sort();
  };
}

function cellText(cell: StatusCell | undefined): string {
  if (cell === undefined) return '-';
  if (cell.error !== undefined) return '(unreadable)';
  if (cell.image === null) return '-';
  return cell.image.tag ?? '(no tag)';
}

/** Who set the tag and when, whether it was verified, its digest: the line under the table. */
function cellDetail(cell: StatusCell | undefined): string | undefined {
  if (cell?.image?.tag === undefined) return undefined;
  const parts = [
    cell.setBy
      ? `set by ${cell.setBy.commit.slice(0, 12)}${cell.setBy.date ? ` on ${cell.setBy.date.slice(0, 10)}` : ''}`
      : 'set before the recent history',
    cell.verified
      ? `${cell.verified.result === 'success' ? 'verified' : 'FAILED verification'} ${cell.verified.at}`
      : 'not verified',
  ];
  if (cell.image.digest) parts.push(`digest ${cell.image.digest.slice(0, 19)}…`);
  return `${cell.image.tag}, ${parts.join(', ')}`;
}

export function formatStatusTable(report: StatusReport): string {
  const header = ['APP', ...report.environments.map((env) => env.toUpperCase())];
  const rows = report.apps.map((row) => [
    row.app,
    ...report.environments.map((env) => cellText(row.environments[env])),
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[], note = '') =>
    [...cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)), note].join('  ').trimEnd();
  const lines = [`${report.target} ${report.branch} @ ${report.commit.slice(0, 12)}`];
  if (report.apps.length === 0) {
    lines.push('no apps found');
  } else {
    lines.push(line(header));
    report.apps.forEach((row, index) =>
      lines.push(line(rows[index] ?? [], row.ahead.map(({ env, of }) => `${env} ahead of ${of}`).join(', '))),
    );
    const details = report.apps.flatMap((row) =>
      report.environments.flatMap((env) => {
        const detail = cellDetail(row.environments[env]);
        return detail ? [`  ${row.app} ${env}: ${detail}`] : [];
      }),
    );
    if (details.length > 0) lines.push('', ...details);
  }
  return `${lines.join('\n')}\n`;
}

export function statusJson(report: StatusReport): string {
  return `${JSON.stringify(
    {
      target: report.target,
      branch: report.branch,
      commit: report.commit,
      environments: report.environments,
      apps: report.apps.map((row) => ({
        app: row.app,
        tags: Object.fromEntries(
          report.environments.map((env) => [env, row.environments[env]?.image?.tag ?? null]),
        ),
        environments: row.environments,
        ahead: row.ahead,
      })),
    },
    null,
    2,
  )}\n`;
}
