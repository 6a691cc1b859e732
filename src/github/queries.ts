/**
 * The GraphQL documents the facade sends and the shapes of their answers. The read is
 * one query whatever the number of files: an aliased `file` field per path.
 */

import type { HistoryField } from './history.js';

/** The `... on Blob` fields; empty when the entry's object is not a blob. */
export interface BlobNode {
  oid?: string;
  byteSize?: number;
  text?: string | null;
  isBinary?: boolean | null;
  isTruncated?: boolean;
}

/** A `file(path:)` answer: the tree entry, its mode (33188 = 0o100644) and its object. */
export interface FileEntry {
  mode: number;
  object: BlobNode | null;
}

export interface ReadResponse {
  repository: {
    branch: {
      name: string;
      target: {
        oid: string;
        url: string;
        message: string;
        parents: { nodes: { oid: string }[] };
      } & Record<string, FileEntry | HistoryField | null>;
    } | null;
  } | null;
}

export interface CommitResponse {
  createCommitOnBranch: { commit: { oid: string; url: string } | null } | null;
}

// `mode` refuses anything but a regular file; `oid` and `byteSize` tell whether `text`
// is exactly the blob (GitHub decodes a blob that is not UTF-8 lossily).
const FILE_FIELDS = 'mode object { ... on Blob { oid byteSize text isBinary isTruncated } }';

/** Per history entry: the commit, the file at it, and the statuses smoke-dev left on it. */
const HISTORY_NODE = (variable: string) =>
  `oid message url committedDate file(path: ${variable}) { object { ... on Blob { text } } } ` +
  'status { contexts { context state description targetUrl createdAt } }';

/**
 * One aliased `file` per path, so any number of files costs one request; with
 * `historyCount`, one aliased `history(path:)` per history path in the same request.
 */
export function buildReadQuery(pathCount: number, namedBranch: boolean, historyCount = 0): string {
  const variables = ['$owner: String!', '$name: String!'];
  if (namedBranch) variables.push('$qualifiedName: String!');
  if (historyCount > 0) variables.push('$depth: Int!');
  const files: string[] = [];
  for (let index = 0; index < pathCount; index++) {
    variables.push(`$p${index}: String!`);
    files.push(`f${index}: file(path: $p${index}) { ${FILE_FIELDS} }`);
  }
  for (let index = 0; index < historyCount; index++) {
    variables.push(`$h${index}: String!`);
    files.push(
      `h${index}: history(first: $depth, path: $h${index}) { nodes { ${HISTORY_NODE(`$h${index}`)} } }`,
    );
  }
  const ref = namedBranch ? 'ref(qualifiedName: $qualifiedName)' : 'defaultBranchRef';
  return `query tagrelayRead(${variables.join(', ')}) {
  repository(owner: $owner, name: $name) {
    branch: ${ref} {
      name
      target { oid ... on Commit { url message parents(first: 1) { nodes { oid } } ${files.join(' ')} } }
    }
  }
}`;
}

export const COMMIT_MUTATION = `mutation tagrelayCommit($input: CreateCommitOnBranchInput!) {
  createCommitOnBranch(input: $input) { commit { oid url } }
}`;

export const AUTO_MERGE_MUTATION = `mutation tagrelayAutoMerge($input: EnablePullRequestAutoMergeInput!) {
  enablePullRequestAutoMerge(input: $input) { pullRequest { number } }
}`;
