/**
 * Release commit messages: `release(<env>): <app> <tag>` and git trailers that let
 * anyone trace a deployed tag back to its build, its verification and its promotion.
 *
 * Every trailer value is one line of printable text: a newline (or any control
 * character) in a value would end its trailer and let the rest pose as trailers of
 * its own (`Release-Env: prod`), or turn the real ones into body text. The builder
 * refuses such a value whatever validated it before, so no caller can forge one.
 */
import { ConfigurationError, quoteValue } from './errors.js';

export interface ReleaseTrailers {
  /** Image digest, when known. */
  digest?: string;
  /** The application commit the image was built from. */
  sourceCommit?: string;
  /** For promotions: the GitOps commit that put the tag into the source environment. */
  promotedFrom?: string;
  /** The smoke run that verified the tag (a URL). */
  verifiedBy?: string;
  /** Who overrode a gate, when one was overridden. */
  forcedBy?: string;
  /** For rollbacks: the tag rolled back from (a later promotion of it is refused unless forced). */
  rollbackOf?: string;
  /** For resets: the environment whose release the target took. */
  resetFrom?: string;
}

export interface CommitMessage {
  headline: string;
  body: string;
}

/** Apps named in the headline before it says "N apps" instead. */
const HEADLINE_APPS = 3;

/** One app of a release commit; per-app values override the message-wide ones. */
export interface ReleaseMessageApp {
  app: string;
  previousTag?: string;
  /** This app's tag, when apps of one commit differ (a promotion of several apps). */
  tag?: string;
  promotedFrom?: string;
  verifiedBy?: string;
  digest?: string;
  /** The application commit this app's image was built from. */
  sourceCommit?: string;
}

export interface ReleaseMessageInput {
  env: string;
  /** The tag every app gets, unless an app names its own. */
  tag: string;
  /** The verb of the headline: `release(prod): …`, `rollback(prod): …`, `reset(dev): …`. */
  kind?: 'release' | 'rollback' | 'reset';
  /** Apps whose release file changes, in order. */
  apps: readonly ReleaseMessageApp[];
  trailers?: ReleaseTrailers;
}

/** Control characters (C0, DEL, C1) and the Unicode line and paragraph separators. */
const NOT_ONE_LINE = /[\p{Cc}\u2028\u2029]/u;

/** A trailer value as git will store it: non-empty, one line, no control characters. */
function checkTrailerValue(key: string, value: string): string {
  if (value === '' || value.trim() !== value || NOT_ONE_LINE.test(value)) {
    throw new ConfigurationError(
      `${key} trailer`,
      value,
      'one line of printable text without leading or trailing spaces (a control character or a newline could forge trailers)',
    );
  }
  return value;
}

/** A previous tag as the file spelt it; escaped and cut short when it is not one plain line. */
function shownTag(tag: string | undefined): string {
  if (tag === undefined) return '(none)';
  return NOT_ONE_LINE.test(tag) || tag.length > 128 ? quoteValue(tag) : tag;
}

const optional = (key: string, value: string | undefined) => (value ? [`${key}: ${value}`] : []);

/**
 * `release(<env>): <apps> <tag>` with one line per app and the trailers. When the apps'
 * tags differ, or several apps carry values of their own (a digest, a source commit, the
 * evidence of a promotion), the trailers are grouped: `Release-Env` and the values every
 * app shares first, then each `Release-App` followed by its own `Release-Tag` (and
 * `Release-Digest`, `Source-Commit`, `Promoted-From`, `Verified-By`), so a reader pairs
 * them (appTrailer). Otherwise the `Release-App` lines come first and every value is shared.
 */
export function formatReleaseMessage({
  env,
  tag,
  kind = 'release',
  apps,
  trailers = {},
}: ReleaseMessageInput): CommitMessage {
  const tagOf = (entry: ReleaseMessageApp) => entry.tag ?? tag;
  const shared = apps.every((entry) => tagOf(entry) === tag);
  const names = apps.map((entry) => entry.app);
  const subject = shared
    ? `${names.length <= HEADLINE_APPS ? names.join(', ') : `${names.length} apps`} ${tag}`
    : names.length <= HEADLINE_APPS
      ? apps.map((entry) => `${entry.app} ${tagOf(entry)}`).join(', ')
      : `${names.length} apps`;
  const headline = `${kind}(${env}): ${subject}`;
  const lines = apps.map((entry) => `- ${entry.app}: ${shownTag(entry.previousTag)} → ${tagOf(entry)}`);
  const perApp = (entry: ReleaseMessageApp) => [
    ...optional('Release-Digest', entry.digest),
    ...optional('Source-Commit', entry.sourceCommit),
    ...optional('Promoted-From', entry.promotedFrom),
    ...optional('Verified-By', entry.verifiedBy),
  ];
  const messageWide = [
    ...optional('Source-Commit', trailers.sourceCommit),
    ...optional('Promoted-From', trailers.promotedFrom),
    ...optional('Verified-By', trailers.verifiedBy),
    ...optional('Rollback-Of', trailers.rollbackOf),
    ...optional('Reset-From', trailers.resetFrom),
    ...optional('Forced-By', trailers.forcedBy),
  ];
  const grouped = !shared || (apps.length > 1 && apps.some((entry) => perApp(entry).length > 0));
  const trailerLines = grouped
    ? [
        `Release-Env: ${env}`,
        ...optional('Release-Digest', trailers.digest),
        ...messageWide,
        ...apps.flatMap((entry) => [
          `Release-App: ${entry.app}`,
          `Release-Tag: ${tagOf(entry)}`,
          ...perApp(entry),
        ]),
      ]
    : [
        ...names.map((app) => `Release-App: ${app}`),
        `Release-Env: ${env}`,
        `Release-Tag: ${tag}`,
        ...optional('Release-Digest', trailers.digest),
        ...apps.flatMap(perApp),
        ...messageWide,
      ];
  for (const line of trailerLines) {
    const colon = line.indexOf(': ');
    checkTrailerValue(line.slice(0, colon), line.slice(colon + 2));
  }
  return { headline, body: `${lines.join('\n')}\n\n${trailerLines.join('\n')}\n` };
}

/** The trailers of a commit message, `[key, value]` in order: its last paragraph, as git reads them. */
function trailers(message: string): [string, string][] {
  const blocks = message.trimEnd().split(/\n\s*\n/);
  const last = blocks[blocks.length - 1] ?? '';
  return last.split('\n').flatMap((line): [string, string][] => {
    const match = /^([A-Za-z][A-Za-z0-9-]*): (.*)$/.exec(line);
    return match ? [[match[1] as string, (match[2] as string).trim()]] : [];
  });
}

/** Trailer values of `key` in a commit message, in order (`Release-App`, `Rollback-Of`, …). */
export function trailerValues(message: string, key: string): string[] {
  return trailers(message)
    .filter(([name]) => name === key)
    .map(([, value]) => value);
}

/**
 * `key`'s value for `app` in a release commit (formatReleaseMessage): in grouped trailers,
 * the app's own value, else the one before the first `Release-App` that all apps share;
 * otherwise the value every app shares. Undefined when absent, or when several apps carry
 * different values that cannot be told apart (unpaired, as no tagrelay writes them now).
 */
export function appTrailer(message: string, app: string, key: string): string | undefined {
  const lines = trailers(message);
  const firstApp = lines.findIndex(([name]) => name === 'Release-App');
  const apps = lines.filter(([name]) => name === 'Release-App').map(([, value]) => value);
  if (firstApp > 0) {
    const start = lines.findIndex(([name, value]) => name === 'Release-App' && value === app);
    if (start < 0) return undefined;
    const next = lines.findIndex(([name], index) => index > start && name === 'Release-App');
    const own = lines.slice(start + 1, next < 0 ? undefined : next).find(([name]) => name === key);
    return own?.[1] ?? lines.slice(0, firstApp).find(([name]) => name === key)?.[1];
  }
  if (apps.length > 0 && !apps.includes(app)) return undefined;
  const values = [...new Set(lines.filter(([name]) => name === key).map(([, value]) => value))];
  return values.length === 1 || apps.length <= 1 ? values[0] : undefined;
}

/** The message as git stores it. */
export function messageText(message: CommitMessage): string {
  return `${message.headline}\n\n${message.body}`;
}
