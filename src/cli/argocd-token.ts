/**
 * The Argo CD API token for commands that talk to Argo CD (smoke, reset): ARGOCD_AUTH_TOKEN,
 * as the argocd CLI reads it, or the first line of standard input with --argocd-token-stdin.
 * The token joins the secrets redacted from every line the CLI writes.
 */
import { ConfigurationError } from '../core/errors.js';
import { UsageError } from './errors.js';
import type { CliIo } from './target.js';

export async function argocdToken(fromStdin: boolean, io: CliIo): Promise<string> {
  let token: string;
  if (fromStdin) {
    if (!io.stdin) throw new UsageError('--argocd-token-stdin: no standard input to read');
    token = (await io.stdin()).split('\n')[0]?.trim() ?? '';
    if (token === '')
      throw new ConfigurationError(
        '--argocd-token-stdin',
        undefined,
        'an Argo CD token on the first line of standard input',
      );
  } else {
    token = (io.env.ARGOCD_AUTH_TOKEN ?? '').trim();
    if (token === '')
      throw new ConfigurationError(
        'ARGOCD_AUTH_TOKEN',
        undefined,
        'an Argo CD API token in ARGOCD_AUTH_TOKEN (as the argocd CLI reads it), or --argocd-token-stdin',
      );
  }
  io.secrets.push(token);
  return token;
}
