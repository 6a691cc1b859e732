/**
 * The digest check promote-prod runs (ARCHITECTURE.md, "the promotion gate"): what a
 * registry now serves for repository:tag. One client per registry, closed by `close()`.
 * The client (and undici under it) is loaded on the first lookup: a promotion without a
 * digest to check never loads it.
 */
import { parseImageRepository } from '../core/image-reference.js';
import type { ProxySettings } from '../core/proxy.js';
import type { Credentials, RegistryClient } from './client.js';

export interface DigestLookupOptions {
  credentials?: Credentials;
  userAgent?: string;
  insecure?: boolean;
  /** The runner's HTTP(S)_PROXY and NO_PROXY. */
  proxy?: ProxySettings;
}

export interface RegistryDigests {
  /** The digest of repository:tag, or null when the registry has no such tag. */
  digestOf(repository: string, tag: string): Promise<string | null>;
  close(): Promise<void>;
}

export function openRegistryDigests(options: DigestLookupOptions = {}): RegistryDigests {
  const clients = new Map<string, RegistryClient>();
  return {
    async digestOf(repository, tag) {
      const image = parseImageRepository(repository, 'image.repository');
      let client = clients.get(image.registry);
      if (client === undefined) {
        const { RegistryClient } = await import('./client.js');
        client = new RegistryClient(image, {
          ...(options.credentials ? { credentials: options.credentials } : {}),
          ...(options.userAgent ? { userAgent: options.userAgent } : {}),
          ...(options.insecure ? { insecure: true } : {}),
          ...(options.proxy ? { proxy: options.proxy } : {}),
        });
        clients.set(image.registry, client);
      }
      const found = await client.lookup({ ...image, tag });
      return found.found ? found.digest : null;
    },
    async close() {
      await Promise.all([...clients.values()].map((client) => client.close()));
    },
  };
}
