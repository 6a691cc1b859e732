/**
 * The status of a GitOps branch: the tag of every app in every environment of the
 * chain, read at one commit, with the promotions still pending.
 */
import { ConfigurationError, ConflictError } from '../core/errors.js';
import { DEFAULT_LAYOUT, LAYOUT_CONFIG_PATH, releaseFilePath, type Layout } from '../core/layout.js';
import { layoutFrom } from '../core/plan.js';
import { readReleaseImage, type ImageValues } from '../core/release-file/edit.js';
import type { CommitTarget } from './commit-engine.js';

export interface StatusCell {
  path: string;
  /** null: the release file does not exist. */
  image: ImageValues | null;
  error?: string;
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

/** Apps that have a release file in any environment, from a list of every file path. */
export function discoverApps(layout: Layout, files: readonly string[]): string[] {
  const found = new Set<string>();
  for (const env of layout.environments) {
    let first = true;
    const pattern = escapeRegExp(layout.paths.release)
      .replaceAll(escapeRegExp('{env}'), escapeRegExp(env))
      .replaceAll(escapeRegExp('{app}'), () => {
        const group = first ? '(?<app>[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?)' : '\\k<app>';
        first = false;
        return group;
      });
    const regExp = new RegExp(`^${pattern}$`);
    for (const path of files) {
      const app = regExp.exec(path)?.groups?.app;
      if (app !== undefined) found.add(app);
    }
  }
  return [...found].sort();
}

/**
 * Reads the layout and every release file of `apps` × environments with one read
 * of the target (two when the layout is not the default or apps are discovered).
 */
export async function collectStatus(
  target: CommitTarget,
  branch: string | undefined,
  apps: readonly string[] | undefined,
  discover?: (commit: string, layout: Layout) => Promise<string[]>,
): Promise<StatusReport> {
  const guess = (apps ?? []).flatMap((app) =>
    DEFAULT_LAYOUT.environments.map((env) => releaseFilePath(DEFAULT_LAYOUT, env, app)),
  );
  let paths = [LAYOUT_CONFIG_PATH, ...guess];
  for (let attempt = 0; attempt < 5; attempt++) {
    const snapshot = await target.read(branch, paths);
    branch = snapshot.branch;
    const layout = layoutFrom(snapshot.files);
    if ('need' in layout) throw new Error(`expected ${layout.need} to be read`);
    let names = apps;
    if (names === undefined) {
      if (!discover) throw new ConfigurationError('app', undefined, 'the apps to show');
      names = await discover(snapshot.headOid, layout);
    }
    const needed = names.flatMap((app) =>
      layout.environments.map((env) => releaseFilePath(layout, env, app)),
    );
    if (needed.some((path) => !snapshot.files.has(path))) {
      paths = [LAYOUT_CONFIG_PATH, ...needed];
      continue;
    }
    const rows = names.map((app): StatusRow => {
      const environments: Record<string, StatusCell> = {};
      for (const env of layout.environments) {
        const path = releaseFilePath(layout, env, app);
        const text = snapshot.files.get(path) ?? null;
        if (text === null) {
          environments[env] = { path, image: null };
          continue;
        }
        try {
          environments[env] = { path, image: readReleaseImage(path, text, layout.keys) };
        } catch (error) {
          environments[env] = {
            path,
            image: null,
            error: error instanceof Error ? error.message : String(error),
          };
        }
      }
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

function cellText(cell: StatusCell | undefined): string {
  if (cell === undefined) return '-';
  if (cell.error !== undefined) return '(unreadable)';
  if (cell.image === null) return '-';
  return cell.image.tag ?? '(no tag)';
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
