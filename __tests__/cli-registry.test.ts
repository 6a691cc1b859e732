/**
 * `tagrelay tag` and `tagrelay digest` as users run them: the bundled cli.js in a
 * subprocess, `digest` against Debian's docker-registry on 127.0.0.1. Exit codes: 0 done,
 * 1 failed (absent tag, refused credentials, no connection), 2 bad input.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, registryAvailable, startRegistry, type TestRegistry } from './support/registry.js';
import { ROOT } from './support/run-action.js';

const USER = 'ci-bot';
const PASSWORD = 'cli-Pa55-never-shown-5e2c';
const SHA = '0123456789abcdef0123456789abcdef01234567';

let scratch: string;
let cli: string;

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'tagrelay-cli-registry-'));
  execFileSync(process.execPath, [join(ROOT, 'scripts/bundle.mjs'), '--out', join(scratch, 'dist')], {
    cwd: ROOT,
  });
  cli = join(scratch, 'dist', 'cli.js');
}, 120_000);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function tagrelay(
  args: string[],
  options: { env?: Record<string, string>; stdin?: string } = {},
): Promise<Run> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: scratch, ...options.env },
      cwd: scratch,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - started }));
    child.stdin.end(options.stdin ?? '');
  });
}

describe('tagrelay tag', () => {
  it.each([
    [['--sha', SHA], 'sha-0123456789ab'],
    [['--sha', SHA, '--format', '{sha7}'], '0123456'],
    [
      ['--sha', SHA, '--format', '{branch}-{run_number}', '--branch', 'feature/Login', '--run-number', '7'],
      'feature-Login-7',
    ],
    [['--sha', SHA, '--format', 'r{date}', '--date', '20261124'], 'r20261124'],
  ])('%j prints %s and nothing else', async (args, expected) => {
    expect(await tagrelay(['tag', ...args])).toMatchObject({ code: 0, stdout: `${expected}\n`, stderr: '' });
  });

  it('fills {date} with today in UTC when --date is absent', async () => {
    const run = await tagrelay(['tag', '--sha', SHA, '--format', '{date}']);
    expect(run.stdout).toMatch(/^\d{8}\n$/);
    expect(
      Math.abs(
        Date.parse(`${run.stdout.slice(0, 4)}-${run.stdout.slice(4, 6)}-${run.stdout.slice(6, 8)}`) -
          Date.now(),
      ),
    ).toBeLessThan(2 * 86_400_000);
  });

  it.each([
    [['--sha', SHA, '--format', 'latest'], '--format has an invalid value "latest"'],
    [['--sha', SHA, '--format', '{nope}'], '{nope} is unknown'],
    [['--sha', SHA, '--format', 'a/{sha7}'], '--format has an invalid value'],
    [['--sha', 'xyz'], '--sha has an invalid value "xyz": expected a commit SHA of 7-40 hex digits'],
    [[], '--sha is required'],
    [['--sha', SHA, '--format', '{run_number}'], '--run-number is required'],
    [['--sha', SHA, '--formt', 'x'], 'unknown flag --formt'],
  ])('%j exits 2, naming the flag', async (args, message) => {
    const run = await tagrelay(['tag', ...args]);
    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr).toContain(message);
  });
});

const describeRegistry = registryAvailable() ? describe : describe.skip;

describeRegistry('tagrelay digest', () => {
  let registry: TestRegistry;
  let digest: string;
  beforeAll(async () => {
    registry = await startRegistry({ kind: 'basic', users: { [USER]: PASSWORD } });
    digest = (await registry.push('acme/web', 'sha-0123456789ab', 'oci-index')).digest;
  });
  afterAll(() => registry?.stop());
  const env = () => ({ REGISTRY_USERNAME: USER, REGISTRY_PASSWORD: PASSWORD });
  const image = () => `${registry.host}/acme/web`;

  it('prints only the digest, with credentials from REGISTRY_USERNAME and REGISTRY_PASSWORD', async () => {
    const run = await tagrelay(['digest', '--image', image(), '--tag', 'sha-0123456789ab'], { env: env() });
    expect(run).toMatchObject({ code: 0, stdout: `${digest}\n`, stderr: '' });
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('takes --username and the password on stdin', async () => {
    const run = await tagrelay(
      ['digest', '--image', image(), '--tag', 'sha-0123456789ab', '--username', USER, '--password-stdin'],
      { stdin: `${PASSWORD}\n` },
    );
    expect(run).toMatchObject({ code: 0, stdout: `${digest}\n`, stderr: '' });
  });

  it('exits 1 with a clear message when the tag does not exist', async () => {
    const run = await tagrelay(['digest', '--image', image(), '--tag', 'sha-ffffffffffff'], { env: env() });
    expect(run).toMatchObject({ code: 1, stdout: '' });
    expect(run.stderr).toBe(
      `tagrelay: ${registry.host}/acme/web:sha-ffffffffffff does not exist in registry ${registry.host} (HTTP 404)\n`,
    );
  });

  it('exits 1 for wrong credentials, naming the registry; the password is not in the message', async () => {
    const wrong = 'wrong-cli-Pa55-3f9a';
    const run = await tagrelay(
      ['digest', '--image', image(), '--tag', 'sha-0123456789ab', '--username', USER, '--password-stdin'],
      {
        stdin: wrong,
      },
    );
    expect(run).toMatchObject({ code: 1, stdout: '' });
    expect(run.stderr).toContain(`registry ${registry.host} refused the credentials of user "${USER}"`);
    // Not redacted into ***: never there.
    expect(run.stderr).not.toContain(wrong);
    expect(run.stderr).not.toContain('***');
  });

  it.each([
    [['--image', 'HOST/acme/web:v1', '--tag', 'v1'], '--image has an invalid value', 'drop ":v1"'],
    [['--image', 'HOST/Acme/web', '--tag', 'v1'], '--image has an invalid value', 'lowercase'],
    [['--image', 'HOST/acme/web', '--tag', 'a b'], '--tag has an invalid value', 'immutable image tag'],
    [['--image', 'HOST/acme/web'], '--tag is required', ''],
    [
      ['--image', 'HOST/acme/web', '--tag', 'v1', '--password-stdin'],
      '--password-stdin needs --username',
      '',
    ],
  ])('%j exits 2 before any request', async (args, message, hint) => {
    // Nothing listens here: a request would fail with "cannot connect" and exit 1.
    const host = `127.0.0.1:${await freePort()}`;
    const run = await tagrelay(['digest', ...args.map((arg) => arg.replace('HOST', host))]);
    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain(hint);
  });

  it('exits 1 with "cannot connect" when nothing answers, well within the request timeout', async () => {
    const host = `127.0.0.1:${await freePort()}`;
    const run = await tagrelay(['digest', '--image', `${host}/acme/web`, '--tag', 'v1']);
    expect(run).toMatchObject({ code: 1, stdout: '' });
    expect(run.stderr).toBe(
      `tagrelay: cannot connect to http://${host}/v2/acme/web/manifests/v1: connection refused (ECONNREFUSED)\n`,
    );
    expect(run.ms).toBeLessThan(5000);
  });
});
