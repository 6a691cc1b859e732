/**
 * The part of an Argo CD Application (argoproj.io/v1alpha1, as the API server's
 * `GET /api/v1/applications/{name}` returns it) that tagrelay reads, and the pure
 * judgement "is this tag rolled out": `status.sync.status` Synced at a revision that
 * contains the GitOps commit, `status.health.status` Healthy, and an image `:<tag>` in
 * `status.summary.images`. Field names follow Argo CD's types.go / swagger.json.
 */
import { tagOfImageReference, type VersionReading } from './version-source.js';

/** `Synced` | `OutOfSync` | `Unknown`. */
export type SyncStatusCode = string;
/** `Healthy` | `Progressing` | `Degraded` | `Suspended` | `Missing` | `Unknown`. */
export type HealthStatusCode = string;
/** `Running` | `Terminating` | `Failed` | `Error` | `Succeeded`. */
export type OperationPhase = string;

export interface ArgoApplication {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    resourceVersion?: string;
    annotations?: Record<string, string>;
  };
  spec?: {
    project?: string;
    source?: { repoURL?: string; path?: string; targetRevision?: string };
    sources?: { repoURL?: string; path?: string; targetRevision?: string }[];
    destination?: { server?: string; namespace?: string; name?: string };
  };
  status?: {
    sync?: { status: SyncStatusCode; revision?: string; revisions?: string[] };
    health?: { status?: HealthStatusCode; message?: string };
    summary?: { images?: string[]; externalURLs?: string[] };
    operationState?: {
      phase: OperationPhase;
      message?: string;
      startedAt?: string;
      finishedAt?: string;
      syncResult?: { revision?: string; revisions?: string[] };
    };
    reconciledAt?: string;
  };
}

export interface ArgoRolloutCriteria {
  tag: string;
  /**
   * Whether a sync revision contains the GitOps commit that set the tag; undefined when
   * it cannot be told (no commit known), and then the images decide.
   */
  revisionContainsCommit?: (revision: string) => boolean | undefined;
}

/** Tags of the application's images, in order, without repeats. */
export function applicationImageTags(app: ArgoApplication): string[] {
  const tags = (app.status?.summary?.images ?? [])
    .map((image) => tagOfImageReference(image))
    .filter((tag): tag is string => tag !== undefined);
  return [...new Set(tags)];
}

/** The revisions the application is synced at (one per source). */
export function syncRevisions(app: ArgoApplication): string[] {
  const sync = app.status?.sync;
  if (!sync) return [];
  if (sync.revisions && sync.revisions.length > 0) return sync.revisions;
  return sync.revision ? [sync.revision] : [];
}

/** Reads an Application as a version reading: live when the tag is rolled out. */
export function readApplication(app: ArgoApplication, criteria: ArgoRolloutCriteria): VersionReading {
  const tags = applicationImageTags(app);
  const sync = app.status?.sync?.status ?? 'Unknown';
  const health = app.status?.health?.status ?? 'Unknown';
  const revisions = syncRevisions(app);
  const phase = app.status?.operationState?.phase;
  const hasTag = tags.includes(criteria.tag);
  const contains = revisions.map((revision) => criteria.revisionContainsCommit?.(revision));
  // With a known commit, one of the revisions must contain it; unknown answers leave it to the images.
  const revisionOk =
    contains.length === 0 ? criteria.revisionContainsCommit === undefined : contains.some((c) => c !== false);
  const live = hasTag && sync === 'Synced' && health === 'Healthy' && revisionOk;
  const shownTags = tags.length === 0 ? 'no images' : `images ${tags.map((tag) => `:${tag}`).join(', ')}`;
  const revision = revisions[0] ? ` at ${revisions[0].slice(0, 12)}` : '';
  const operation = phase && phase !== 'Succeeded' ? `, operation ${phase}` : '';
  const notContained = !revisionOk && revisions.length > 0 ? ' (not yet the GitOps commit)' : '';
  const reading: VersionReading = {
    live,
    detail: `${shownTags} (${sync}${revision}${notContained}, ${health}${operation})`,
  };
  const version = hasTag ? criteria.tag : tags[0];
  if (version !== undefined) reading.version = version;
  return reading;
}
