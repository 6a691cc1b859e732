/** Real git on the emulator's bare repositories, for checking what landed. */
import { execFileSync } from 'node:child_process';

export function git(gitDir: string, ...args: string[]): string {
  return execFileSync('git', ['--git-dir', gitDir, ...args], { encoding: 'utf8' });
}

export function commitCount(gitDir: string, ref = 'refs/heads/main'): number {
  return Number(git(gitDir, 'rev-list', '--count', ref).trim());
}

export function fileAt(gitDir: string, path: string, ref = 'refs/heads/main'): string {
  return git(gitDir, 'show', `${ref}:${path}`);
}

/** Parents of every commit on the branch: a linear history has at most one each. */
export function isLinear(gitDir: string, ref = 'refs/heads/main'): boolean {
  return git(gitDir, 'rev-list', '--min-parents=2', ref).trim() === '';
}
