/** `tagrelay digest`: the manifest digest a registry serves for `repository:tag`. */
import { NotFoundError } from '../../core/errors.js';
import { formatImageReference, parseImageRepository } from '../../core/image-reference.js';
import { validateTag } from '../../core/names.js';
import { USER_AGENT } from '../../core/version.js';
import { registryCredentials, REGISTRY_OPTIONS } from '../registry-credentials.js';
import { EXIT_OK } from '../errors.js';
import { parseFlags, proxySettings, type CliIo } from '../target.js';

export const DIGEST_USAGE = `Usage: tagrelay digest --image REPOSITORY --tag TAG
                      [--username USER --password-stdin] [--insecure]

Print the manifest digest (sha256:<64 hex>) the registry serves for REPOSITORY:TAG,
and nothing else. Exits 1 when the tag does not exist, 2 for a malformed reference.

Flags:
  --image REPOSITORY  Image repository without tag or digest, e.g. ghcr.io/acme/web
                      (docker.io is Docker Hub: alpine is docker.io/library/alpine)
  --tag TAG           Tag to look up
  --username USER     Registry user; the password or token comes from stdin
  --password-stdin    Read the password or token from stdin (with --username)
  --insecure          Allow plain HTTP to a registry that is not on this machine
                      (localhost, 127.0.0.1 and [::1] always use it)
  -h, --help          Show this help

Without --username, REGISTRY_USERNAME and REGISTRY_PASSWORD are used when set;
otherwise the registry is asked anonymously (public images).
`;

const DIGEST_OPTIONS = {
  image: { type: 'string' },
  tag: { type: 'string' },
  ...REGISTRY_OPTIONS,
  insecure: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function digest(args: string[], io: CliIo): Promise<number> {
  const values = parseFlags(args, DIGEST_OPTIONS);
  if (values.help) {
    io.stdout(DIGEST_USAGE);
    return EXIT_OK;
  }
  const repository = parseImageRepository(values.image ?? '', '--image');
  const tag = validateTag(values.tag ?? '', { input: '--tag', denied: [] });
  // Loaded here, as the other commands that reach a registry do: the CLI starts without undici.
  const { RegistryClient } = await import('../../registry/client.js');
  const client = new RegistryClient(repository, {
    credentials: await registryCredentials(values, io),
    insecure: values.insecure ?? false,
    userAgent: USER_AGENT,
    proxy: proxySettings(io),
  });
  try {
    const image = { ...repository, tag };
    const found = await client.lookup(image);
    if (!found.found) {
      throw new NotFoundError(
        `${formatImageReference(image)} does not exist in registry ${repository.registry} (${found.reason})`,
      );
    }
    io.stdout(`${found.digest}\n`);
    return EXIT_OK;
  } finally {
    await client.close();
  }
}
