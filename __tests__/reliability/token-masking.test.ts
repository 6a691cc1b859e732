/**
 * Tokens never reach anything a user sees or stores. A loopback server plays a GitHub
 * that echoes the token it was sent in its error bodies, its HTML error pages and its
 * headers, so every error message that quotes the server quotes the token: the action's
 * log must still show it masked (`::add-mask::` before it, as the runner applies it),
 * the CLI's output must show it redacted, and outputs, summaries and commit messages
 * must never hold it at all. Removing `core.setSecret` from the token input or the
 * CLI's redaction makes these tests fail.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WRITE_TOKEN, startGitHubEmulator, type GitHubEmulator } from '../support/github-emulator/index.js';
import { git } from '../support/git.js';
import { runAction } from '../support/run-action.js';
import { runCli } from './helpers.js';

const TOKEN = 'ghp_EchoedToken0123456789abcdefghijklmnop';

type Echo = (token: string, response: ServerResponse) => void;
const ECHOES: [label: string, echo: Echo][] = [
  [
    'a 401 whose message and headers quote the token',
    (token, response) =>
      response
        .writeHead(401, {
          'content-type': 'application/json',
          'x-echo': token,
          'www-authenticate': `token ${token}`,
        })
        .end(
          JSON.stringify({
            message: `Bad credentials: ${token}`,
            documentation_url: 'https://docs.github.com',
          }),
        ),
  ],
  [
    'a 422 that quotes the token among its errors',
    (token, response) =>
      response
        .writeHead(422, { 'content-type': 'application/json', 'x-echo': token })
        .end(JSON.stringify({ message: 'Validation Failed', errors: [{ value: token, code: 'invalid' }] })),
  ],
  [
    'an HTML 502 page whose title is the token',
    (token, response) =>
      response
        .writeHead(502, { 'content-type': 'text/html', 'x-echo': token })
        .end(`<html><head><title>${token}</title></head><body>${token}</body></html>`),
  ],
];

let server: Server;
let url: string;
let echo: Echo;
let echoed = 0;

beforeAll(async () => {
  server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const token = /^(?:token|bearer) (.+)$/i.exec(request.headers.authorization ?? '')?.[1] ?? 'none';
    if (token !== 'none') echoed += 1;
    request.resume().on('end', () => echo(token, response));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

/** The log as the runner shows it: each `::add-mask::` value is masked in every later line. */
function asTheRunnerShowsIt(stdout: string): string {
  const masks: string[] = [];
  const shown: string[] = [];
  for (const line of stdout.split('\n')) {
    const mask = /^::add-mask::(.*)$/.exec(line);
    if (mask) {
      masks.push(mask[1] as string);
      continue;
    }
    shown.push(masks.reduce((out, secret) => out.split(secret).join('***'), line));
  }
  return shown.join('\n');
}

describe('the action masks a token the server echoes', () => {
  it.each(ECHOES)('%s', async (_label, response) => {
    echo = response;
    echoed = 0;
    const run = await runAction('bump-release-dev', {
      inputs: { app: 'web', tag: 'v2', 'gitops-repository': 'synestra/gitops', token: TOKEN },
      env: { GITHUB_API_URL: url },
    });
    expect(run.code).toBe(1);
    expect(echoed).toBeGreaterThan(0);
    // The error the action prints quotes the server, so it holds the token: the mask is what hides it.
    expect(run.stdout.replace(/^::add-mask::.*$/gm, '')).toContain(TOKEN);
    expect(asTheRunnerShowsIt(run.stdout)).not.toContain(TOKEN);
    expect(asTheRunnerShowsIt(run.stdout)).toMatch(/^::error::.*\*\*\*/m);
    // Outputs and the summary are files nobody masks: the token must not be there at all.
    expect(JSON.stringify(run.outputs)).not.toContain(TOKEN);
    expect(run.summary).not.toContain(TOKEN);
  });
});

describe('the CLI redacts a token the server echoes', () => {
  it.each(ECHOES)('%s', async (_label, response) => {
    echo = response;
    echoed = 0;
    const run = await runCli(
      ['bump', '--app', 'web', '--tag', 'v2', '--repo', 'synestra/gitops'],
      { GITHUB_TOKEN: TOKEN, GITHUB_API_URL: url, TAGRELAY_DEBUG: '1' },
      process.cwd(),
    );
    expect(run.code).toBe(1);
    expect(echoed).toBeGreaterThan(0);
    expect(`${run.stdout}${run.stderr}`).not.toContain(TOKEN);
    expect(run.stderr).toMatch(/^tagrelay: .*\*\*\*/m);
  });
});

describe('a release that lands stores no token', () => {
  let emulator: GitHubEmulator;
  beforeAll(async () => {
    emulator = await startGitHubEmulator({
      repos: [
        {
          owner: 'synestra',
          name: 'gitops',
          files: { 'deploy/env/release-dev/web.yaml': 'image:\n  tag: v1\n' },
        },
      ],
    });
  });
  afterAll(() => emulator.close());

  it('not in the outputs, the summary or the commit message', async () => {
    const run = await runAction('bump-release-dev', {
      inputs: { app: 'web', tag: 'v2', 'gitops-repository': 'synestra/gitops', token: WRITE_TOKEN },
      env: { GITHUB_API_URL: emulator.url, GITHUB_GRAPHQL_URL: emulator.graphqlUrl },
    });
    expect(run.code).toBe(0);
    expect(run.outputs['commit-sha']).toMatch(/^[0-9a-f]{40}$/);
    expect(run.visible).not.toContain(WRITE_TOKEN);
    const message = git(
      emulator.repoDir('synestra', 'gitops'),
      'log',
      '-1',
      '--format=%B%n%an%n%ae%n%cn%n%ce',
    );
    expect(message).toContain('Release-Tag: v2');
    expect(message).not.toContain(WRITE_TOKEN);
  });
});
