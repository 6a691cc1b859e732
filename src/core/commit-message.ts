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
}

export interface CommitMessage {
  headline: string;
  body: string;
}

/** Apps named in the headline before it says "N apps" instead. */
const HEADLINE_APPS = 3;

export interface ReleaseMessageInput {
  env: string;
  tag: string;
  /** Apps whose release file changes, in order. */
  apps: readonly { app: string; previousTag?: string }[];
  trailers?: ReleaseTrailers;
}

/** Control characters (C0, DEL, C1) and the Unicode line and paragraph separators. */
const NOT_ONE_LINE = /[\p{Cc}\u2028\u2029]/u;

/** A trailer value as git will store it: non-empty, one line, no control characters. */
export function checkTrailerValue(key: string, value: string): string {
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

export function formatReleaseMessage({ env, tag, apps, trailers = {} }: ReleaseMessageInput): CommitMessage {
  const names = apps.map((entry) => entry.app);
  const subject = names.length <= HEADLINE_APPS ? names.join(', ') : `${names.length} apps`;
  const headline = `release(${env}): ${subject} ${tag}`;
  const lines = apps.map(({ app, previousTag }) => `- ${app}: ${shownTag(previousTag)} → ${tag}`);
  const trailerLines = [
    ...names.map((app) => `Release-App: ${app}`),
    `Release-Env: ${env}`,
    `Release-Tag: ${tag}`,
    ...(trailers.digest ? [`Release-Digest: ${trailers.digest}`] : []),
    ...(trailers.sourceCommit ? [`Source-Commit: ${trailers.sourceCommit}`] : []),
    ...(trailers.promotedFrom ? [`Promoted-From: ${trailers.promotedFrom}`] : []),
    ...(trailers.verifiedBy ? [`Verified-By: ${trailers.verifiedBy}`] : []),
    ...(trailers.forcedBy ? [`Forced-By: ${trailers.forcedBy}`] : []),
  ];
  for (const line of trailerLines) {
    const colon = line.indexOf(': ');
    checkTrailerValue(line.slice(0, colon), line.slice(colon + 2));
  }
  return { headline, body: `${lines.join('\n')}\n\n${trailerLines.join('\n')}\n` };
}

/** The message as git stores it. */
export function messageText(message: CommitMessage): string {
  return `${message.headline}\n\n${message.body}`;
}
