/**
 * Promotion and rollback (ARCHITECTURE.md, "Who writes which environment, and the
 * promotion gate"): a later environment of the chain receives only a tag that was
 * verified in the environment before it, the very same tag, of the same image. Pure:
 * the operation layer reads the files, the history of each release file and the
 * verification records on those commits; this decides and plans one commit.
 */
import { appTrailer, formatReleaseMessage, type ReleaseMessageApp } from './commit-message.js';
import { commitThatSet, rolledBackTags, type FileRevision } from './release-history.js';
import { newestRecord } from './verification.js';
import { ConfigurationError, TagrelayError } from './errors.js';
import { releaseFilePath, requireEnvironment, sourceEnvironment, type Layout } from './layout.js';
import { applyTagEdits, layoutFrom, type FileSnapshot, type PlanStep } from './plan.js';
import { readReleaseImage } from './release-file/edit.js';
import { validateTag } from './names.js';

/** What the gate knows about one app: both release files and their recent history. */
export interface AppEvidence {
  sourceHistory: readonly FileRevision[];
  targetHistory: readonly FileRevision[];
  /** The registry's digest for the tag: undefined without registry access, null when the tag is gone. */
  registryDigest?: string | null;
}

export type GateCheck = 'tag' | 'verified' | 'image' | 'digest' | 'rollback';

export interface GateFinding {
  check: GateCheck;
  passed: boolean;
  detail: string;
}

export interface AppVerdict {
  app: string;
  tag: string;
  /** The tag the target environment runs now: what the promotion moves it from. */
  currentTag?: string;
  /** The commit that put the tag into the source environment. */
  promotedFrom?: string;
  /** The record that verified it: its run URL, or `note <commit>`. */
  verifiedBy?: string;
  /** The digest the tag should have (recorded at bump, or the registry's). */
  digest?: string;
  /** The digest the source release file holds, copied into the target file. */
  sourceDigest?: string;
  /** The application commit the new tag was built from (Source-Commit of the commit that set it). */
  sourceCommit?: string;
  /** The application commit of the tag the target runs now, when its history tells. */
  previousSourceCommit?: string;
  findings: GateFinding[];
  passed: boolean;
}

export interface PromotionRequest {
  apps: readonly string[];
  /** The environment written (default: the last of the chain); its source is the one before it unless `from` says. */
  to?: string;
  from?: string;
  /** An explicitly named tag; default: the source environment's current tag. */
  tag?: string;
  /** Per-app tags, pinned by a first judgement so a retry promotes what was judged. */
  tags?: ReadonlyMap<string, string>;
  force: boolean;
  /** Who forces (the actor, or the local git user): the Forced-By trailer. */
  forcedBy?: string;
  sourceCommit?: string;
}

/** At least one app failed a check and nothing was forced: nothing is committed. */
export class PromotionRefusedError extends TagrelayError {
  override readonly name = 'PromotionRefusedError';
  constructor(
    readonly verdicts: readonly AppVerdict[],
    /** The environment that was to be written. */
    readonly env: string,
  ) {
    const failed = verdicts.filter((verdict) => !verdict.passed);
    super(
      `Promotion refused, nothing committed: ${failed
        .map(
          (verdict) =>
            `${verdict.app} ${verdict.tag} failed ${verdict.findings
              .filter((finding) => !finding.passed)
              .map((finding) => `${finding.check} (${finding.detail})`)
              .join(', ')}`,
        )
        .join('; ')}. Pass force to override (recorded as Forced-By).`,
    );
  }
}

/** The source and target environments of a promotion, validated against the chain. */
export function promotionEnvironments(
  layout: Layout,
  target?: string,
  from?: string,
): { from: string; to: string } {
  const to = target ?? (layout.environments[layout.environments.length - 1] as string);
  requireEnvironment(layout, to, 'to');
  const source = from ?? sourceEnvironment(layout, to);
  if (source === undefined) {
    throw new ConfigurationError(
      'to',
      to,
      `an environment after the first of the chain (${layout.environments.join(' → ')}): ${to} has no environment to promote from`,
    );
  }
  requireEnvironment(layout, source, 'from');
  if (source === to) throw new ConfigurationError('from', source, `an environment other than ${to}`);
  if (layout.environments.indexOf(source) > layout.environments.indexOf(to)) {
    throw new ConfigurationError(
      'from',
      source,
      `an environment before ${to} in the chain (${layout.environments.join(' → ')})`,
    );
  }
  return { from: source, to };
}

/** Paths whose content and history a promotion reads: every app's source and target release file. */
export function promotionPaths(layout: Layout, apps: readonly string[], from: string, to: string): string[] {
  return apps.flatMap((app) => [releaseFilePath(layout, from, app), releaseFilePath(layout, to, app)]);
}

/** Runs every check of the gate for one app. */
export function judgeApp(
  layout: Layout,
  app: string,
  envs: { from: string; to: string },
  files: FileSnapshot,
  evidence: AppEvidence,
  requestedTag?: string,
): AppVerdict {
  const sourcePath = releaseFilePath(layout, envs.from, app);
  const targetPath = releaseFilePath(layout, envs.to, app);
  const source = readReleaseImage(
    sourcePath,
    files.get(sourcePath) ?? missing(sourcePath, app, envs.from),
    layout.keys,
  );
  const target = readReleaseImage(
    targetPath,
    files.get(targetPath) ?? missing(targetPath, app, envs.to),
    layout.keys,
  );
  const tag = requestedTag ?? (source.tag as string);
  const findings: GateFinding[] = [];

  const setBy = commitThatSet(sourcePath, evidence.sourceHistory, tag, layout);
  const record = newestRecord(
    evidence.sourceHistory.flatMap((revision) => revision.records),
    app,
    envs.from,
    tag,
  );
  if (tag === source.tag) {
    findings.push({ check: 'tag', passed: true, detail: `${envs.from}'s current tag` });
  } else if (setBy === undefined) {
    throw new ConfigurationError(
      'tag',
      tag,
      `a tag ${app} has had in ${envs.from} (its current tag is ${source.tag})`,
    );
  } else {
    findings.push({
      check: 'tag',
      passed: record?.result === 'success',
      detail: `not ${envs.from}'s current tag (${source.tag}); allowed only with a success record`,
    });
  }

  findings.push(
    record === undefined
      ? { check: 'verified', passed: false, detail: `no verification record for ${tag} in ${envs.from}` }
      : {
          check: 'verified',
          passed: record.result === 'success',
          detail: `${record.result} in ${envs.from} at ${record.checkedAt}${record.runUrl ? ` (${record.runUrl})` : ''}`,
        },
  );

  const sameImage = source.repository === target.repository;
  findings.push({
    check: 'image',
    passed: sameImage,
    detail: sameImage
      ? `${source.repository ?? '(no repository)'} on both sides`
      : `${envs.from} runs ${source.repository ?? '(none)'} but ${envs.to} runs ${target.repository ?? '(none)'}: the same tag in another repository is another image`,
  });

  // This app's own digest: a commit of several apps pairs each with its own.
  const recorded = setBy ? appTrailer(setBy.message, app, 'Release-Digest') : undefined;
  const expectedDigest = recorded ?? record?.digest ?? (tag === source.tag ? source.digest : undefined);
  if (evidence.registryDigest !== undefined) {
    findings.push(
      evidence.registryDigest === null
        ? { check: 'digest', passed: false, detail: `the registry no longer has ${tag}` }
        : expectedDigest === undefined
          ? {
              check: 'digest',
              passed: true,
              detail: `no digest was recorded for ${tag}; the registry has ${evidence.registryDigest}`,
            }
          : {
              check: 'digest',
              passed: evidence.registryDigest === expectedDigest,
              detail:
                evidence.registryDigest === expectedDigest
                  ? `${tag} still resolves to ${expectedDigest}`
                  : `${tag} now resolves to ${evidence.registryDigest}, not ${expectedDigest} as recorded: it was overwritten`,
            },
    );
  }

  if (rolledBackTags(evidence.targetHistory, app).has(tag)) {
    findings.push({ check: 'rollback', passed: false, detail: `${envs.to} was rolled back from ${tag}` });
  }

  return {
    app,
    tag,
    currentTag: target.tag,
    promotedFrom: setBy?.oid,
    verifiedBy:
      record?.result === 'success' ? (record.runUrl ?? (setBy ? `note ${setBy.oid}` : undefined)) : undefined,
    digest: evidence.registryDigest ?? expectedDigest,
    sourceDigest: tag === source.tag ? source.digest : undefined,
    sourceCommit: setBy ? appTrailer(setBy.message, app, 'Source-Commit') : undefined,
    previousSourceCommit: previousSourceCommit(layout, app, targetPath, target.tag, evidence),
    findings,
    passed: findings.every((finding) => finding.passed),
  };
}

function missing(path: string, app: string, env: string): never {
  throw new ConfigurationError('app', app, `an app with a release file in ${env} (${path} does not exist)`);
}

/** Plans a promotion: every app judged, one commit for all, or a refusal naming each failure. */
export function planPromotion(
  request: PromotionRequest,
  files: FileSnapshot,
  evidence: ReadonlyMap<string, AppEvidence>,
): PlanStep & { verdicts?: AppVerdict[] } {
  const layout = layoutFrom(files);
  if ('need' in layout) return { kind: 'need-files', paths: [layout.need] };
  const envs = promotionEnvironments(layout, request.to, request.from);
  const paths = promotionPaths(layout, request.apps, envs.from, envs.to);
  const unread = paths.filter((path) => !files.has(path));
  if (unread.length > 0) return { kind: 'need-files', paths: unread };
  const tag = request.tag === undefined ? undefined : validateTag(request.tag, { denied: layout.deniedTags });

  const verdicts = request.apps.map((app) =>
    judgeApp(
      layout,
      app,
      envs,
      files,
      evidence.get(app) ?? { sourceHistory: [], targetHistory: [] },
      request.tags?.get(app) ?? tag,
    ),
  );
  if (!request.force && verdicts.some((verdict) => !verdict.passed))
    throw new PromotionRefusedError(verdicts, envs.to);

  const applied = applyTagEdits(
    layout,
    envs.to,
    verdicts.map((verdict) => ({ app: verdict.app, tag: verdict.tag, digest: verdict.sourceDigest })),
    files,
  );
  if ('need' in applied) return { kind: 'need-files', paths: applied.need };
  const changed = new Set(applied.apps.filter((entry) => entry.changed).map((entry) => entry.app));
  const entries: ReleaseMessageApp[] = verdicts
    .filter((verdict) => changed.has(verdict.app))
    .map((verdict) => ({
      app: verdict.app,
      previousTag: applied.apps.find((entry) => entry.app === verdict.app)?.previous.tag,
      tag: verdict.tag,
      digest: verdict.digest,
      promotedFrom: verdict.promotedFrom,
      verifiedBy: verdict.verifiedBy,
      sourceCommit: verdict.sourceCommit,
    }));
  const forced = request.force && verdicts.some((verdict) => !verdict.passed);
  const common = verdicts[0]?.tag ?? '';
  const message = formatReleaseMessage({
    env: envs.to,
    tag: common,
    apps: entries,
    trailers: {
      // The image's own Source-Commit travels with each app; the run's only when none is known.
      sourceCommit: entries.some((entry) => entry.sourceCommit) ? undefined : request.sourceCommit,
      forcedBy: forced ? (request.forcedBy ?? 'unknown') : undefined,
    },
  });
  return {
    kind: 'ready',
    layout,
    verdicts,
    changeSet: { env: envs.to, tag: common, apps: applied.apps, files: applied.files, message },
  };
}

/** The Source-Commit of the commit that put the target's current tag in place (following a promotion back to its source). */
function previousSourceCommit(
  layout: Layout,
  app: string,
  targetPath: string,
  tag: string | undefined,
  evidence: AppEvidence,
): string | undefined {
  if (tag === undefined) return undefined;
  const setBy = commitThatSet(targetPath, evidence.targetHistory, tag, layout);
  if (setBy === undefined) return undefined;
  const own = appTrailer(setBy.message, app, 'Source-Commit');
  if (own !== undefined) return own;
  const origin = appTrailer(setBy.message, app, 'Promoted-From');
  const source = evidence.sourceHistory.find((revision) => revision.oid === origin);
  return source ? appTrailer(source.message, app, 'Source-Commit') : undefined;
}

/** One line per app for logs and the CLI: what moves (or would have), and on what evidence. */
export function describeVerdict(verdict: AppVerdict, previousTag?: string): string {
  const failed = verdict.findings.filter((finding) => !finding.passed);
  const evidence = failed.length
    ? `FAILED ${failed.map((finding) => `${finding.check}: ${finding.detail}`).join('; ')}`
    : verdict.findings.map((finding) => `${finding.check}: ${finding.detail}`).join('; ');
  const move =
    previousTag === undefined
      ? verdict.tag
      : previousTag === verdict.tag
        ? `already at ${verdict.tag}`
        : `${previousTag} → ${verdict.tag}`;
  return `${verdict.app}: ${move} (${evidence})`;
}
