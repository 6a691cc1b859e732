/**
 * The GraphQL documents the facade sends and the shapes of their answers. The read is
 * one query whatever the number of files: an aliased `file` field per path.
 */

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
      } & Record<string, FileEntry | null>;
    } | null;
  } | null;
}

export interface CommitResponse {
  createCommitOnBranch: { commit: { oid: string; url: string } | null } | null;
}

// `mode` refuses anything but a regular file; `oid` and `byteSize` tell whether `text`
// is exactly the blob (GitHub decodes a blob that is not UTF-8 lossily).
const FILE_FIELDS = 'mode object { ... on Blob { oid byteSize text isBinary isTruncated } }';

/** One aliased `file` per path, so any number of files costs one request. */
export function buildReadQuery(pathCount: number, namedBranch: boolean): string {
  const variables = ['$owner: String!', '$name: String!'];
  if (namedBranch) variables.push('$qualifiedName: String!');
  const files: string[] = [];
  for (let index = 0; index < pathCount; index++) {
    variables.push(`$p${index}: String!`);
    files.push(`f${index}: file(path: $p${index}) { ${FILE_FIELDS} }`);
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
