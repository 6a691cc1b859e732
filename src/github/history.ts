/**
 * The release-file history part of the facade's read (`history(path:)` per release
 * file, with the file and the commit statuses on each commit): turned into the revisions
 * promote, rollback and status judge. smoke-dev's statuses become verification records.
 */
import type { FileRevision } from '../core/release-history.js';
import { recordFromStatus, type StatusContextLike } from '../core/verification.js';

export interface HistoryField {
  nodes:
    | ({
        oid: string;
        message: string;
        url: string;
        committedDate?: string;
        file: { object: { text?: string | null } | null } | null;
        status: { contexts: StatusContextLike[] } | null;
      } | null)[]
    | null;
}

export function historyRevisions(field: HistoryField | undefined): FileRevision[] {
  return (field?.nodes ?? []).flatMap((node) =>
    node === null
      ? []
      : [
          {
            oid: node.oid,
            message: node.message,
            url: node.url,
            date: node.committedDate,
            text: node.file?.object?.text ?? null,
            records: (node.status?.contexts ?? []).flatMap(
              (context) => recordFromStatus(context, node.oid) ?? [],
            ),
          },
        ],
  );
}
