import * as core from '@actions/core';
import type { RunnerContext } from './runner-context.js';

/** Client options for an action step: the runner's endpoints, the token, the job log. */
export function githubEndpoints(context: RunnerContext, token: string) {
  return {
    token,
    apiUrl: context.apiUrl,
    graphqlUrl: context.graphqlUrl,
    log: { debug: core.debug, info: core.info, warning: core.warning },
  };
}
