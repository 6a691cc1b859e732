/**
 * `npm run emulator` (scripts/emulator.mjs): it starts, and every command it tells a user to try
 * works, in the order printed, with the exit code its note promises, leaving the history it
 * describes. Also a fixed port, a port in use, bad flags and Ctrl-C.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { ROOT } from './support/workflow-checks.js';

const SCRIPT = join(ROOT, 'scripts', 'emulator.mjs');
const READY = 'Ctrl-C stops the emulator.';

interface Started {
  child: ChildProcessWithoutNullStreams;
  stdout: string;
  exit: Promise<{ code: number | null; stderr: string }>;
}

/** Starts the script and resolves once it printed everything (or exited), within 60 s. */
function start(args: string[]): Promise<Started> {
  const child = spawn(process.execPath, [SCRIPT, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
  const exit = new Promise<{ code: number | null; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stderr })),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`emulator did not get ready in 60 s:\n${stdout}\n${stderr}`));
    }, 60_000);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk;
      if (stdout.includes(READY)) {
        clearTimeout(timer);
        resolve({ child, stdout, exit });
      }
    });
    void exit.then(() => {
      clearTimeout(timer);
      resolve({ child, stdout, exit });
    });
  });
}

async function stop(started: Started): Promise<number | null> {
  started.child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('emulator did not stop in 10 s')), 10_000);
  });
  try {
    return (await Promise.race([started.exit, timeout])).code;
  } finally {
    clearTimeout(timer);
  }
}

/** The `export` lines and the `$ command   # note` lines it printed. */
function instructions(stdout: string) {
  const exports = stdout.split('\n').filter((line) => /^\s+export /.test(line));
  const commands = [...stdout.matchAll(/^ {2}\$ (.+?)(?: {3}# (.*))?$/gm)].map((match) => ({
    command: match[1] as string,
    note: match[2] ?? '',
    exit: Number(/\(exit (\d+)\)/.exec(match[2] ?? '')?.[1] ?? 0),
  }));
  return { exports, commands };
}

function shell(exports: string[], command: string) {
  const result = spawnSync('bash', ['--noprofile', '--norc', '-c', `${exports.join('\n')}\n${command}`], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

describe('npm run emulator', () => {
  it('prints what to try, and every command printed works as its note says', async () => {
    const started = await start([]);
    try {
      expect(started.stdout).toMatch(
        /GitHub emulator for tagrelay: synestra\/gitops \(branch main, from examples\/gitops-repo\) on http:\/\/127\.0\.0\.1:\d+/,
      );
      expect(started.stdout).toMatch(/corporate: http:\/\/127\.0\.0\.1:\d+ \(serving sha-[0-9a-f]{12}\)/);
      const { exports, commands } = instructions(started.stdout);
      expect(exports.join('\n')).toMatch(/export GITHUB_API_URL=http:\/\/127\.0\.0\.1:\d+\n/);
      expect(exports.join('\n')).toMatch(/export GITHUB_TOKEN=ghs_\w+/);
      // The CLI (status, bump, promote refused then verified, smoke, reset), the four entries, git log.
      expect(
        commands.map(({ command }) =>
          /dist\/(\S+)\.c?js(?: (\w+))?|^(git|cat)/.exec(command)?.slice(1).filter(Boolean).join(' '),
        ),
      ).toEqual([
        'cli status',
        'cli bump',
        'cli bump',
        'cli promote',
        'cli smoke',
        'cli promote',
        'cli reset',
        'cli status',
        'bump-release-dev',
        'smoke-dev',
        'promote-prod',
        'main',
        'cat',
        'git',
      ]);

      const results = commands.map(({ command, note, exit }) => {
        const result = shell(exports, command);
        return { command, note, expected: exit, code: result.code, output: result.output };
      });
      for (const result of results) {
        expect({
          command: result.command,
          code: result.code,
          output: result.code === result.expected ? '' : result.output,
        }).toEqual({
          command: result.command,
          code: result.expected,
          output: '',
        });
      }
      const log = results.at(-1)?.output ?? '';
      expect(log).toMatch(/release\(prod\): corporate sha-0123456789ab/);
      expect(log).toMatch(/release\(prod\): shop sha-abcdef012345/);
      expect(log).toMatch(/Verified-By: /);
      const outputs = results.find(({ command }) => command.startsWith('cat'))?.output ?? '';
      expect(outputs).toMatch(/^promoted<<[\s\S]*"app":"shop"[\s\S]*"to_tag":"sha-abcdef012345"/m);
      expect(outputs).toMatch(/^status<<[\s\S]*"corporate"[\s\S]*"shop"/m);
      expect(await stop(started)).toBe(0);
    } finally {
      started.child.kill('SIGKILL');
    }
  }, 240_000);

  it('listens on a fixed --port, and says so when the port is taken', async () => {
    const port = await freePort();
    const started = await start(['--port', String(port)]);
    try {
      expect(started.stdout).toContain(`export GITHUB_API_URL=http://127.0.0.1:${port}\n`);
      const status = shell(
        [
          `export GITHUB_API_URL=http://127.0.0.1:${port}`,
          `export GITHUB_TOKEN=${/GITHUB_TOKEN=(\S+)/.exec(started.stdout)?.[1]}`,
        ],
        'node dist/cli.js status --repo synestra/gitops --app corporate',
      );
      expect(status).toEqual({ code: 0, output: expect.stringContaining('corporate') });

      const second = await start(['--port', String(port)]);
      const { code, stderr } = await second.exit;
      expect({ code, stderr }).toEqual({
        code: 1,
        stderr: expect.stringContaining(`port ${port} is in use`),
      });
      expect(await stop(started)).toBe(0);
    } finally {
      started.child.kill('SIGKILL');
    }
  }, 120_000);

  it.each([
    [['--dir', '/nonexistent/gitops'], '--dir: /nonexistent/gitops is not a directory'],
    [['--repo', 'gitops'], '--repo: expected OWNER/NAME, got "gitops"'],
    [['--port', 'eighty'], '--port: expected 0-65535, got "eighty"'],
    [['--frobnicate'], "Unknown option '--frobnicate'"],
  ])(
    'refuses %j with exit 2 and the usage',
    async (args, message) => {
      const started = await start(args);
      const { code, stderr } = await started.exit;
      expect(code).toBe(2);
      expect(stderr).toContain(message);
      expect(stderr).toContain('Usage: npm run emulator');
    },
    60_000,
  );
});
