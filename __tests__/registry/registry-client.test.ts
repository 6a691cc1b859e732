/**
 * The registry client against a real registry (Debian's docker-registry on 127.0.0.1):
 * digests are the registry's own, an absent tag is an answer and not an error, token and
 * basic auth both work, wrong credentials name the registry and never show the password,
 * and an unreachable registry fails within the request timeout.
 */
import { createHash } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { request } from 'undici';
import { parseImageReference, type ImageReference } from '../../src/core/image-reference.js';
import { RegistryClient, type RegistryClientOptions } from '../../src/registry/client.js';
import { RegistryAuthError, RegistryConnectionError } from '../../src/registry/errors.js';
import { freePort, registryAvailable, startRegistry, type TestRegistry } from '../support/registry.js';

const USER = 'ci-bot';
const PASSWORD = 'pa55-Do-Not-Print-7f3a';
const WRONG = 'wrong-Pa55-Do-Not-Print-9c1e';
const OCI_ACCEPT = 'application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json';

const describeRegistry = registryAvailable() ? describe : describe.skip;

const image = (registry: TestRegistry, rest: string): ImageReference =>
  parseImageReference(`${registry.host}/${rest}`);

/** Opens a client, runs `use`, closes it. */
async function withClient<T>(
  target: ImageReference,
  options: RegistryClientOptions,
  use: (client: RegistryClient) => Promise<T>,
): Promise<T> {
  const client = new RegistryClient(target, { timeoutMs: 5000, ...options });
  try {
    return await use(client);
  } finally {
    await client.close();
  }
}

/** The error `promise` rejects with, or a failure when it resolves. */
async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

/** sha256 of the manifest bytes the registry serves for an OCI Accept header, fetched without our client. */
async function servedDigest(registry: TestRegistry, path: string, tag: string, authorization?: string) {
  const response = await request(`${registry.url}/v2/${path}/manifests/${tag}`, {
    headers: { accept: OCI_ACCEPT, ...(authorization ? { authorization } : {}) },
  });
  const body = Buffer.from(await response.body.arrayBuffer());
  expect(response.statusCode).toBe(200);
  return `sha256:${createHash('sha256').update(body).digest('hex')}`;
}

describeRegistry('with basic auth (htpasswd)', () => {
  let registry: TestRegistry;
  beforeAll(async () => {
    registry = await startRegistry({ kind: 'basic', users: { [USER]: PASSWORD } });
  });
  afterAll(() => registry?.stop());
  const basic = () => `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;

  it.each(['oci-manifest', 'oci-index', 'docker-manifest'] as const)(
    'finds a tag holding a %s under the digest of the bytes the registry serves',
    async (kind) => {
      const pushed = await registry.push(`acme/${kind}`, 'sha-0123456789ab', kind);
      const found = await withClient(
        image(registry, `acme/${kind}`),
        { credentials: { username: USER, password: PASSWORD } },
        (client) => client.lookup(image(registry, `acme/${kind}:sha-0123456789ab`)),
      );
      expect(found).toEqual({
        found: true,
        digest: pushed.digest,
        mediaType: pushed.mediaType,
        size: pushed.manifest.length,
      });
      if (kind !== 'docker-manifest') {
        expect(found.found && found.digest).toBe(
          await servedDigest(registry, `acme/${kind}`, 'sha-0123456789ab', basic()),
        );
      }
    },
  );

  it('fetches the manifest bytes and the same digest, and looks up by digest', async () => {
    const pushed = await registry.push('acme/fetch', 'v1');
    await withClient(
      image(registry, 'acme/fetch'),
      { credentials: { username: USER, password: PASSWORD } },
      async (client) => {
        const fetched = await client.fetch(image(registry, 'acme/fetch:v1'));
        expect(fetched.found && fetched.body.equals(pushed.manifest)).toBe(true);
        expect(fetched.found && fetched.digest).toBe(pushed.digest);
        const byDigest = await client.lookup(image(registry, `acme/fetch@${pushed.digest}`));
        expect(byDigest.found && byDigest.digest).toBe(pushed.digest);
      },
    );
  });

  it('answers { found: false } for an absent tag and an absent repository, without throwing', async () => {
    await registry.push('acme/absent', 'v1');
    await withClient(
      image(registry, 'acme/absent'),
      { credentials: { username: USER, password: PASSWORD } },
      async (client) => {
        expect(await client.lookup(image(registry, 'acme/absent:v2'))).toEqual({
          found: false,
          reason: expect.any(String),
        });
        const fetched = await client.fetch(image(registry, 'acme/absent:v2'));
        expect(fetched).toEqual({ found: false, reason: expect.stringContaining('MANIFEST_UNKNOWN') });
        expect((await client.lookup(image(registry, 'acme/never-pushed:v1'))).found).toBe(false);
      },
    );
  });

  it('refuses wrong credentials with a message naming the registry and not the password', async () => {
    const error = await rejection(
      withClient(image(registry, 'acme/x'), { credentials: { username: USER, password: WRONG } }, (client) =>
        client.lookup(image(registry, 'acme/x:v1')),
      ),
    );
    expect(error).toBeInstanceOf(RegistryAuthError);
    expect(error.message).toContain(`registry ${registry.host}`);
    expect(error.message).toContain(`"${USER}"`);
    expect(error.message).not.toContain(WRONG);
    expect(error.message).not.toContain(Buffer.from(`${USER}:${WRONG}`).toString('base64'));
  });

  it('says credentials are needed when none were given', async () => {
    const error = await rejection(
      withClient(image(registry, 'acme/x'), {}, (client) => client.lookup(image(registry, 'acme/x:v1'))),
    );
    expect(error).toBeInstanceOf(RegistryAuthError);
    expect(error.message).toMatch(new RegExp(`registry ${registry.host} requires credentials`));
  });

  it('pings, checking the credentials', async () => {
    await withClient(
      image(registry, 'x'),
      { credentials: { username: USER, password: PASSWORD } },
      (client) => client.ping(),
    );
    const error = await rejection(
      withClient(image(registry, 'x'), { credentials: { username: USER, password: WRONG } }, (client) =>
        client.ping(),
      ),
    );
    expect(error).toBeInstanceOf(RegistryAuthError);
    expect(error.message).not.toContain(WRONG);
  });
});

describeRegistry('with token auth (a loopback token issuer the registry trusts)', () => {
  let registry: TestRegistry;
  beforeAll(async () => {
    registry = await startRegistry({ kind: 'token', users: { [USER]: PASSWORD } });
  });
  afterAll(() => registry?.stop());

  it('gets a token for the repository, caches it per scope, and finds the digest', async () => {
    const web = await registry.push('acme/web', 'sha-0123456789ab', 'oci-index');
    const api = await registry.push('acme/api', 'sha-0123456789ab');
    const issued = registry.issuer?.requests ?? [];
    const before = issued.length;
    await withClient(
      image(registry, 'acme/web'),
      { credentials: { username: USER, password: PASSWORD } },
      async (client) => {
        for (let round = 0; round < 2; round++) {
          const found = await client.lookup(image(registry, 'acme/web:sha-0123456789ab'));
          expect(found.found && found.digest).toBe(web.digest);
        }
        const other = await client.lookup(image(registry, 'acme/api:sha-0123456789ab'));
        expect(other.found && other.digest).toBe(api.digest);
        expect((await client.lookup(image(registry, 'acme/web:absent'))).found).toBe(false);
      },
    );
    expect(issued.slice(before)).toEqual([
      { scopes: ['repository:acme/web:pull'], user: USER, status: 200 },
      { scopes: ['repository:acme/api:pull'], user: USER, status: 200 },
    ]);
    const token = registry.issuer?.mint([{ type: 'repository', name: 'acme/web', actions: ['pull'] }]);
    expect(await servedDigest(registry, 'acme/web', 'sha-0123456789ab', `Bearer ${token}`)).toBe(web.digest);
  });

  it('refuses wrong credentials at the token service, naming the registry and not the password', async () => {
    const error = await rejection(
      withClient(
        image(registry, 'acme/web'),
        { credentials: { username: USER, password: WRONG } },
        (client) => client.lookup(image(registry, 'acme/web:v1')),
      ),
    );
    expect(error).toBeInstanceOf(RegistryAuthError);
    expect(error.message).toContain(`registry ${registry.host}`);
    expect(error.message).toContain('refused the credentials');
    expect(error.message).not.toContain(WRONG);
  });

  it('reports that an anonymous token does not let it read (the registry checks the token)', async () => {
    const error = await rejection(
      withClient(image(registry, 'acme/web'), {}, (client) => client.lookup(image(registry, 'acme/web:v1'))),
    );
    expect(error).toBeInstanceOf(RegistryAuthError);
    expect(error.message).toContain(
      `registry ${registry.host} requires credentials to read repository ${registry.host}/acme/web`,
    );
  });
});

describeRegistry('with anonymous pull through tokens', () => {
  it('reads without credentials', async () => {
    const registry = await startRegistry({ kind: 'token', users: {}, anonymousPull: true });
    try {
      const pushed = await registry.push('public/web', 'v1');
      const found = await withClient(image(registry, 'public/web'), {}, (client) =>
        client.lookup(image(registry, 'public/web:v1')),
      );
      expect(found.found && found.digest).toBe(pushed.digest);
      expect(registry.issuer?.requests.at(-1)).toEqual({
        scopes: ['repository:public/web:pull'],
        user: undefined,
        status: 200,
      });
    } finally {
      await registry.stop();
    }
  });
});

describe('an unreachable registry', () => {
  it('is a clear error within the request timeout when the port is closed', async () => {
    const port = await freePort();
    const target = parseImageReference(`127.0.0.1:${port}/acme/web:v1`);
    const started = Date.now();
    const error = await rejection(
      withClient(target, { timeoutMs: 1000, backoffMs: 100 }, (client) => client.lookup(target)),
    );
    expect(Date.now() - started).toBeLessThan(1000);
    expect(error).toBeInstanceOf(RegistryConnectionError);
    expect(error.message).toBe(
      `cannot connect to http://127.0.0.1:${port}/v2/acme/web/manifests/v1: connection refused (ECONNREFUSED)`,
    );
  });

  it('is a clear error within the request timeout when the server never answers', async () => {
    const sockets: Socket[] = [];
    let requests = 0;
    const server: Server = createServer((socket) => {
      sockets.push(socket);
      socket.on('data', (data) => (requests += data.toString().match(/^(HEAD|GET) /gm)?.length ?? 0));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      const target = parseImageReference(`127.0.0.1:${port}/acme/web:v1`);
      const started = Date.now();
      const error = await rejection(
        withClient(target, { timeoutMs: 700 }, (client) => client.lookup(target)),
      );
      const elapsed = Date.now() - started;
      expect(error.message).toBe(
        `cannot connect to http://127.0.0.1:${port}/v2/acme/web/manifests/v1: no answer within 0.7 s`,
      );
      expect(error).toBeInstanceOf(RegistryConnectionError);
      expect(elapsed).toBeGreaterThanOrEqual(650);
      expect(elapsed).toBeLessThan(700 + 500);
      expect(requests).toBe(1); // a timeout is not retried
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
