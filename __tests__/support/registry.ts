/**
 * A real OCI registry for tests: Debian's `docker-registry` (distribution 2.8) on
 * 127.0.0.1 and a free port, filesystem storage in a temporary directory, and either no
 * auth, htpasswd basic auth (bcrypt hashes made with bcryptjs), or token auth trusting a
 * loopback token issuer (./registry/token-issuer.ts). `stop()` ends the process and
 * removes its directory.
 *
 * The binary is /usr/bin/docker-registry (TAGRELAY_REGISTRY_BINARY overrides). When it is
 * missing, `registryAvailable()` throws under CI=true, so the suite fails instead of
 * skipping; elsewhere it warns and returns false, and the tests skip.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { request } from 'undici';
import { stringify } from 'yaml';
import { pushImage, type ImageKind, type PushedImage } from './registry/images.js';
import { startTokenIssuer, type TokenIssuer } from './registry/token-issuer.js';

export type { ImageKind, PushedImage } from './registry/images.js';
export type { TokenIssuer } from './registry/token-issuer.js';

export const REGISTRY_BINARY = process.env.TAGRELAY_REGISTRY_BINARY ?? '/usr/bin/docker-registry';

export function registryAvailable(): boolean {
  if (existsSync(REGISTRY_BINARY)) return true;
  const message =
    `${REGISTRY_BINARY} is missing: the registry tests need Debian's docker-registry ` +
    '(apt-get install docker-registry; .ci/run installs it).';
  if (process.env.CI === 'true') throw new Error(message);
  console.warn(`SKIPPED: ${message}`);
  return false;
}

export type RegistryAuthMode =
  | { kind: 'none' }
  | { kind: 'basic'; users: Record<string, string> }
  | { kind: 'token'; users: Record<string, string>; anonymousPull?: boolean; expiresIn?: number };

export interface TestRegistry {
  /** `127.0.0.1:<port>`: the image reference's host. */
  host: string;
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** The token issuer, for token auth. */
  issuer: TokenIssuer | undefined;
  /** Pushes a test image under `path:tag` (and more tags; raw HTTP; see ./registry/images.ts). */
  push(path: string, tag: string | readonly string[], kind?: ImageKind): Promise<PushedImage>;
  /** What the registry printed, for diagnosing a failure. */
  log(): string;
  stop(): Promise<void>;
}

/** A port that was free a moment ago. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until the registry answers `/v2/` (any status), bounded in time. */
async function waitForRegistry(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited (${child.exitCode}):\n${log()}`);
    try {
      const response = await request(`${url}/v2/`, { signal: AbortSignal.timeout(1000) });
      await response.body.dump();
      return;
    } catch {
      await sleep(40);
    }
  }
  throw new Error(`docker-registry did not answer at ${url} within 10 s:\n${log()}`);
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export async function startRegistry(auth: RegistryAuthMode = { kind: 'none' }): Promise<TestRegistry> {
  const dir = mkdtempSync(join(tmpdir(), 'tagrelay-registry-'));
  const issuer = auth.kind === 'token' ? await startTokenIssuer(auth) : undefined;
  try {
    let authConfig: Record<string, unknown> | undefined;
    if (auth.kind === 'basic') {
      const lines = Object.entries(auth.users).map(
        ([user, password]) => `${user}:${bcrypt.hashSync(password, 5)}`,
      );
      writeFileSync(join(dir, 'htpasswd'), `${lines.join('\n')}\n`);
      authConfig = { htpasswd: { realm: 'tagrelay-test', path: join(dir, 'htpasswd') } };
    } else if (issuer) {
      writeFileSync(join(dir, 'root.pem'), issuer.certificatePem);
      authConfig = {
        token: {
          realm: issuer.realm,
          service: issuer.service,
          issuer: issuer.issuer,
          rootcertbundle: join(dir, 'root.pem'),
        },
      };
    }
    // A port can be taken between freePort() and the registry's bind: try a few.
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const config = {
        version: 0.1,
        log: { level: 'warn', accesslog: { disabled: true } },
        storage: {
          filesystem: { rootdirectory: join(dir, 'storage') },
          delete: { enabled: true },
          maintenance: { uploadpurging: { enabled: false } },
        },
        http: { addr: `127.0.0.1:${port}`, secret: randomBytes(16).toString('hex') },
        ...(authConfig ? { auth: authConfig } : {}),
      };
      writeFileSync(join(dir, 'config.yml'), stringify(config));
      const output: string[] = [];
      // A clean environment: REGISTRY_* variables would override the config file.
      const child = spawn(REGISTRY_BINARY, ['serve', join(dir, 'config.yml')], {
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
      child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
      const log = () => output.join('').slice(-4000);
      const url = `http://127.0.0.1:${port}`;
      try {
        await waitForRegistry(url, child, log);
      } catch (error) {
        await stopProcess(child);
        if (attempt < 3 && /address already in use/.test(log())) continue;
        throw error;
      }
      const credentials = Object.entries(auth.kind === 'none' ? {} : auth.users)[0];
      return {
        host: `127.0.0.1:${port}`,
        url,
        issuer,
        log,
        push: (path, tag, kind) =>
          pushImage(
            {
              url,
              authorization: (repository) =>
                auth.kind === 'basic' && credentials
                  ? `Basic ${Buffer.from(`${credentials[0]}:${credentials[1]}`).toString('base64')}`
                  : issuer
                    ? `Bearer ${issuer.mint([{ type: 'repository', name: repository, actions: ['pull', 'push'] }], 'pusher')}`
                    : undefined,
            },
            path,
            tag,
            kind,
          ),
        stop: async () => {
          await stopProcess(child);
          await issuer?.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    }
  } catch (error) {
    await issuer?.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
