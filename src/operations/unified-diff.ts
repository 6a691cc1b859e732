/**
 * The unified diff a dry run prints. Its own module, loaded by a dry run only, so other
 * runs never evaluate `diff`.
 */
import { createTwoFilesPatch } from 'diff';
import type { ChangeSet } from '../core/plan.js';

export function unifiedDiff(changeSet: ChangeSet): string {
  return changeSet.files
    .map(({ path, before, after }) =>
      createTwoFilesPatch(`a/${path}`, `b/${path}`, before, after, '', '', { context: 3 }),
    )
    .map((patch) => patch.replace(/^={67}\n/, '').replace(/\t\n/g, '\n'))
    .join('');
}
