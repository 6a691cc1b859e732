// The floor of one bump with the libraries tagrelay is built on (bench row "floor"): the
// same two requests (the read of the layout file and the release file, and one
// createCommitOnBranch) through @octokit/core on node-fetch, the tag found with yaml's
// Document API and spliced into the text, one output written. No input checks, no
// retries, no verification, no summary: what any tool on these libraries must at least
// do. `npm run bench` bundles it like dist/bump-release-dev.cjs and runs it the same way,
// and a second time with `node-fetch` aliased to bench/node-http-fetch.mjs (row "floor on
// node:http"), which measures what the transport costs.
import { Octokit } from '@octokit/core';
import { appendFileSync } from 'node:fs';
import { Agent } from 'node:http';
import fetch from 'node-fetch';
import { isMap, isScalar, parseDocument } from 'yaml';

const env = process.env;
const [owner, name] = env['INPUT_GITOPS-REPOSITORY'].split('/');
const path = `deploy/env/release-dev/${env.INPUT_APP}.yaml`;
const agent = new Agent({ keepAlive: true });
const octokit = new Octokit({
  auth: env.INPUT_TOKEN,
  baseUrl: env.GITHUB_API_URL,
  request: { fetch: (url, init) => fetch(url, { ...init, agent }) },
});
const graphql = octokit.graphql.defaults({ url: env.GITHUB_GRAPHQL_URL });

async function bump() {
  const { repository } = await graphql(
    `
      query ($owner: String!, $name: String!, $p0: String!, $p1: String!) {
        repository(owner: $owner, name: $name) {
          branch: defaultBranchRef {
            name
            target {
              oid
              ... on Commit {
                f0: file(path: $p0) {
                  mode
                  object {
                    ... on Blob {
                      oid
                      byteSize
                      text
                    }
                  }
                }
                f1: file(path: $p1) {
                  mode
                  object {
                    ... on Blob {
                      oid
                      byteSize
                      text
                    }
                  }
                }
              }
            }
          }
        }
      }
    `,
    { owner, name, p0: 'deploy/tagrelay.yaml', p1: path },
  );
  const { branch } = repository;
  const before = branch.target.f1.object.text;
  const image = parseDocument(before).contents;
  const tag = isMap(image) ? image.get('image', true)?.get('tag', true) : undefined;
  if (!isScalar(tag)) throw new Error(`${path} has no image.tag`);
  const [start, end] = tag.range;
  const after = before.slice(0, start) + env.INPUT_TAG + before.slice(end);
  const { createCommitOnBranch } = await graphql(
    `
      mutation ($input: CreateCommitOnBranchInput!) {
        createCommitOnBranch(input: $input) {
          commit {
            oid
            url
          }
        }
      }
    `,
    {
      input: {
        branch: { repositoryNameWithOwner: `${owner}/${name}`, branchName: branch.name },
        expectedHeadOid: branch.target.oid,
        message: { headline: `release(dev): ${env.INPUT_APP} ${env.INPUT_TAG}` },
        fileChanges: { additions: [{ path, contents: Buffer.from(after).toString('base64') }] },
      },
    },
  );
  appendFileSync(env.GITHUB_OUTPUT, `commit-sha=${createCommitOnBranch.commit.oid}\n`);
  agent.destroy();
}

bump();
