/**
 * Release commit messages: `release(<env>): <app> <tag>` and git trailers that let
 * anyone trace a deployed tag back to its build, its verification and its promotion.
 */

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

export function formatReleaseMessage({ env, tag, apps, trailers = {} }: ReleaseMessageInput): CommitMessage {
  const names = apps.map((entry) => entry.app);
  const subject = names.length <= HEADLINE_APPS ? names.join(', ') : `${names.length} apps`;
  const headline = `release(${env}): ${subject} ${tag}`;
  const lines = apps.map(({ app, previousTag }) => `- ${app}: ${previousTag ?? '(none)'} → ${tag}`);
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
  return { headline, body: `${lines.join('\n')}\n\n${trailerLines.join('\n')}\n` };
}

/** The message as git stores it. */
export function messageText(message: CommitMessage): string {
  return `${message.headline}\n\n${message.body}`;
}
