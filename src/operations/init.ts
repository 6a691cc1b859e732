/**
 * init: bootstrap a site's files for every environment of the chain in one commit
 * (ARCHITECTURE.md, "The release flow"). Refuses, committing nothing, when any exists.
 */
import { DEFAULT_LAYOUT } from '../core/layout.js';
import { initPaths, planInit, type BootstrapRequest } from '../core/bootstrap.js';
import type { ReleaseOperation } from './release.js';

/**
 * The Applications track `branch`, or the repository's default branch (`HEAD`, as Argo CD
 * reads it) when none is named.
 */
export function initOperation(request: BootstrapRequest, branch: string | undefined): ReleaseOperation {
  return {
    paths: initPaths(DEFAULT_LAYOUT, request.app),
    plan: (files) => planInit(request, branch ?? 'HEAD', files),
  };
}
