/**
 * What a real registry rarely does on cue, against a loopback stub: 5xx and 429 answers,
 * dropped connections, missing or lying digest headers, expiring tokens, token realms that
 * would leak credentials. Plus the pure pieces: challenges, Retry-After, plain-HTTP rules.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { parseImageReference } from '../../src/core/image-reference.js';
import { parseChallenges } from '../../src/registry/auth.js';
import {
  MANIFEST_MEDIA_TYPES,
  RegistryClient,
  type RegistryClientOptions,
} from '../../src/registry/client.js';
import { allowsPlainHttp, registryOrigin } from '../../src/registry/endpoint.js';
import { RegistryAuthError, RegistryError } from '../../src/registry/errors.js';
import { retryAfterMs } from '../../src/registry/transport.js';

type Handler = (request: IncomingMessage, response: ServerResponse, index: number) => void;

interface Stub {
  host: string;
  url: string;
  /** Method, path and headers of every request, in order. */
  seen: { method: string; path: string; headers: IncomingMessage['headers'] }[];
  close(): Promise<void>;
}

async function stub(handler: Handler): Promise<Stub> {
  const seen: Stub['seen'] = [];
  const server: Server = createServer((request, response) => {
    seen.push({ method: request.method ?? '', path: request.url ?? '', headers: request.headers });
    handler(request, response, seen.length - 1);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    host: `127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const MANIFEST = Buffer.from('{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json"}');
const DIGEST = `sha256:${createHash('sha256').update(MANIFEST).digest('hex')}`;
const OTHER = `sha256:${'0'.repeat(64)}`;

/** Serves MANIFEST; `digest` is the Docker-Content-Digest header, `null` for none. */
function manifest(response: ServerResponse, request: IncomingMessage, digest: string | null = DIGEST) {
  response.writeHead(200, {
    'content-type': 'application/vnd.oci.image.manifest.v1+json',
    'content-length': String(MANIFEST.length),
    ...(digest ? { 'docker-content-digest': digest } : {}),
  });
  response.end(request.method === 'HEAD' ? undefined : MANIFEST);
}

function status(response: ServerResponse, code: number, headers: Record<string, string> = {}) {
  response.writeHead(code, { 'content-type': 'application/json', ...headers });
  response.end(
    JSON.stringify({
      errors: [{ code: code === 404 ? 'MANIFEST_UNKNOWN' : 'X', message: `status ${code}` }],
    }),
  );
}

let server: Stub | undefined;
afterEach(() => server?.close());

/** A client for the stub, recording the waits instead of sleeping. */
function client(options: RegistryClientOptions = {}) {
  const waits: number[] = [];
  const target = parseImageReference(`${(server as Stub).host}/acme/web`);
  const instance = new RegistryClient(target, {
    timeoutMs: 3000,
    sleep: async (ms) => {
      waits.push(ms);
    },
    ...options,
  });
  return {
    instance,
    waits,
    ref: (reference: string) => parseImageReference(`${(server as Stub).host}/acme/web${reference}`),
  };
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('retries', () => {
  it('retries 5xx, then answers, asking with every manifest media type', async () => {
    server = await stub((request, response, index) =>
      index < 2 ? status(response, 503) : manifest(response, request),
    );
    const { instance, waits, ref } = client();
    expect(await instance.lookup(ref(':v1'))).toMatchObject({ found: true, digest: DIGEST });
    await instance.close();
    expect(server.seen.map((seen) => seen.method)).toEqual(['HEAD', 'HEAD', 'HEAD']);
    expect(waits).toHaveLength(2);
    expect(waits[1]).toBeGreaterThanOrEqual(250); // doubled from a 250 ms base, jittered in its upper half
    for (const type of MANIFEST_MEDIA_TYPES) expect(server.seen[0]?.headers.accept).toContain(type);
  });

  it('stops after the configured retries and reports the status', async () => {
    server = await stub((_request, response) => status(response, 500));
    const { instance, ref } = client({ retries: 2 });
    const error = await rejection(instance.fetch(ref(':v1')));
    await instance.close();
    expect(server.seen).toHaveLength(3);
    expect(error).toBeInstanceOf(RegistryError);
    expect(error.message).toBe(
      `registry ${server.host} answered HTTP 500 (X: status 500) to ${server.url}/v2/acme/web/manifests/v1`,
    );
  });

  it.each([
    ['2', () => '2', 2000],
    ['an HTTP date a minute ahead', () => new Date(Date.now() + 60_000).toUTCString(), 58_000],
  ])('honours Retry-After (%s) on 429', async (_name, retryAfter, least) => {
    server = await stub((request, response, index) =>
      index === 0 ? status(response, 429, { 'retry-after': retryAfter() }) : manifest(response, request),
    );
    const { instance, waits, ref } = client({ maxRetryAfterMs: 120_000 });
    expect((await instance.lookup(ref(':v1'))).found).toBe(true);
    await instance.close();
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThanOrEqual(least);
    expect(waits[0]).toBeLessThanOrEqual(least + 2000);
  });

  it('does not wait for a Retry-After beyond its limit', async () => {
    server = await stub((_request, response) => status(response, 429, { 'retry-after': '3600' }));
    const { instance, waits, ref } = client();
    const error = await rejection(instance.lookup(ref(':v1')));
    await instance.close();
    expect(waits).toEqual([]);
    expect(server.seen).toHaveLength(1);
    expect(error.message).toContain('answered HTTP 429');
  });

  it.each([400, 403, 404])('does not retry %i', async (code) => {
    server = await stub((_request, response) => status(response, code));
    const { instance, ref } = client();
    await instance.fetch(ref(':v1')).catch((error: Error) => error);
    await instance.close();
    expect(server.seen).toHaveLength(1);
  });

  it('retries a dropped connection', async () => {
    server = await stub((request, response, index) =>
      index === 0 ? request.socket.destroy() : manifest(response, request),
    );
    const { instance, waits, ref } = client();
    expect((await instance.fetch(ref(':v1'))).found).toBe(true);
    await instance.close();
    expect(waits).toHaveLength(1);
  });
});

describe('digests', () => {
  it('falls back to GET and hashes the body when HEAD has no Docker-Content-Digest', async () => {
    server = await stub((request, response) => manifest(response, request, null));
    const { instance, ref } = client();
    expect(await instance.lookup(ref(':v1'))).toMatchObject({ found: true, digest: DIGEST });
    await instance.close();
    expect(server.seen.map((seen) => seen.method)).toEqual(['HEAD', 'GET']);
  });

  it('refuses a body whose hash is not the announced digest', async () => {
    server = await stub((request, response) => manifest(response, request, OTHER));
    const { instance, ref } = client();
    const error = await rejection(instance.fetch(ref(':v1')));
    await instance.close();
    expect(error.message).toBe(
      `registry ${server.host} served a manifest for ${server.host}/acme/web:v1 whose digest is ${DIGEST}, not the ${OTHER} it announced`,
    );
  });

  it('refuses an answer for another digest than the one asked for', async () => {
    server = await stub((request, response) => manifest(response, request));
    const { instance, ref } = client();
    const error = await rejection(instance.lookup(ref(`@${OTHER}`)));
    await instance.close();
    expect(error.message).toContain(
      `answered ${server.host}/acme/web@${OTHER} with a manifest of digest ${DIGEST}`,
    );
  });
});

describe('tokens', () => {
  /** A registry accepting only the newest token its realm (on the same stub) issued. */
  async function tokenRegistry(realm: (url: string) => string, expiresIn = 300) {
    let issued = 0;
    return stub((request, response) => {
      const url = new URL(request.url ?? '/', 'http://x');
      if (url.pathname === '/token') {
        issued++;
        response.writeHead(200, { 'content-type': 'application/json' });
        return response.end(JSON.stringify({ token: `t${issued}`, expires_in: expiresIn }));
      }
      if (request.headers.authorization === `Bearer t${issued}`) return manifest(response, request);
      status(response, 401, {
        'www-authenticate': `Bearer realm="${realm((server as Stub).url)}",service="stub",scope="repository:acme/web:pull"`,
      });
    });
  }
  const tokenRequests = () => (server as Stub).seen.filter((seen) => seen.path.startsWith('/token'));

  it('gets a new token when the cached one is refused, once', async () => {
    server = await tokenRegistry((url) => `${url}/token`);
    const { instance, ref } = client();
    expect((await instance.lookup(ref(':v1'))).found).toBe(true);
    expect((await instance.lookup(ref(':v1'))).found).toBe(true);
    expect(tokenRequests()).toHaveLength(1);
    expect(tokenRequests()[0]?.path).toBe('/token?service=stub&scope=repository%3Aacme%2Fweb%3Apull');
    // The registry now wants a newer token than the cached one.
    const before = server.seen.length;
    await fetch(`${server.url}/token`);
    expect((await instance.lookup(ref(':v1'))).found).toBe(true);
    await instance.close();
    expect(server.seen.slice(before + 1).map((seen) => seen.path.split('?')[0])).toEqual([
      '/v2/acme/web/manifests/v1',
      '/token',
      '/v2/acme/web/manifests/v1',
    ]);
  });

  it('does not keep a token past its expiry', async () => {
    server = await tokenRegistry((url) => `${url}/token`, 5);
    const { instance, ref } = client();
    await instance.lookup(ref(':v1'));
    await instance.lookup(ref(':v1'));
    await instance.close();
    expect(tokenRequests()).toHaveLength(2);
  });

  it('sends no credentials to a plain-HTTP realm off this machine', async () => {
    server = await tokenRegistry(() => 'http://auth.example.com/token');
    const { instance, ref } = client({ credentials: { username: 'u', password: 'secret-pw' } });
    const error = await rejection(instance.lookup(ref(':v1')));
    await instance.close();
    expect(error).toBeInstanceOf(RegistryError);
    expect(error.message).toBe(
      `registry ${server.host} sends clients to http://auth.example.com for tokens, which is not HTTPS; refusing to ask it`,
    );
  });

  it('reports a 401 without a challenge', async () => {
    server = await stub((_request, response) => status(response, 401));
    const { instance, ref } = client();
    const error = await rejection(instance.lookup(ref(':v1')));
    await instance.close();
    expect(error).toBeInstanceOf(RegistryAuthError);
    expect(error.message).toContain('answered 401 without saying how to authenticate');
  });
});

describe('parseChallenges', () => {
  it.each([
    [
      'Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:acme/web:pull"',
      [
        {
          scheme: 'bearer',
          params: { realm: 'https://ghcr.io/token', service: 'ghcr.io', scope: 'repository:acme/web:pull' },
        },
      ],
    ],
    ['Basic realm="Registry Realm"', [{ scheme: 'basic', params: { realm: 'Registry Realm' } }]],
    ['basic realm=plain', [{ scheme: 'basic', params: { realm: 'plain' } }]],
    [
      'Bearer realm="a\\"b", error="insufficient_scope", Basic realm="x"',
      [
        { scheme: 'bearer', params: { realm: 'a"b', error: 'insufficient_scope' } },
        { scheme: 'basic', params: { realm: 'x' } },
      ],
    ],
    [
      'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/alpine:pull,push"',
      [
        {
          scheme: 'bearer',
          params: {
            realm: 'https://auth.docker.io/token',
            service: 'registry.docker.io',
            scope: 'repository:library/alpine:pull,push',
          },
        },
      ],
    ],
    ['', []],
  ])('%j', (value, expected) => {
    expect(parseChallenges(value)).toEqual(expected);
  });
});

describe('Retry-After', () => {
  it.each([
    ['0', 0],
    ['7', 7000],
    [' 3 ', 3000],
    ['Wed, 21 Oct 2015 07:28:10 GMT', 10_000],
    ['Wed, 21 Oct 2015 07:27:00 GMT', 0],
    ['soon', undefined],
    [undefined, undefined],
  ])('%j → %j ms', (value, ms) => {
    expect(retryAfterMs(value, Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(ms);
  });
});

describe('plain HTTP', () => {
  it.each([
    ['ghcr.io', false, 'https://ghcr.io'],
    ['registry-1.docker.io', false, 'https://registry-1.docker.io'],
    ['registry.internal:5000', false, 'https://registry.internal:5000'],
    ['registry.internal:5000', true, 'http://registry.internal:5000'],
    ['localhost', false, 'http://localhost'],
    ['localhost:5000', false, 'http://localhost:5000'],
    ['127.0.0.1:5000', false, 'http://127.0.0.1:5000'],
    ['[::1]:5000', false, 'http://[::1]:5000'],
    ['127.0.0.2:5000', false, 'https://127.0.0.2:5000'],
    ['localhost.example.com', false, 'https://localhost.example.com'],
  ])('%s (insecure: %s) → %s', (host, insecure, origin) => {
    expect(registryOrigin(host, insecure)).toBe(origin);
    expect(allowsPlainHttp(host, insecure)).toBe(origin.startsWith('http:'));
  });
});
