// `npm run bench`: measures the targets of DESIGN §6 on this machine, prints a table
// and writes bench/results.json. Every figure is measured here; nothing is assumed.
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, loadDevSite, loadEmulator, runProcess } from '../scripts/load-test-support.mjs';

const OWNER = 'synestra';
const REPO = 'gitops';
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const { startGitHubEmulator, WRITE_TOKEN } = await loadEmulator();
const { startDevSite } = await loadDevSite();
const work = mkdtempSync(join(tmpdir(), 'tagrelay-bench-'));
const rssFile = join(work, 'rss');

const release = (app, tag) =>
  `# release layer\nimage:\n  repository: ghcr.io/synestra/${app}\n  tag: ${tag} # immutable\n`;
const apps = (count) => Array.from({ length: count }, (_, index) => `app-${index}`);
function seed(count, env = 'dev') {
  return Object.fromEntries(
    apps(count).map((app) => [`deploy/env/release-${env}/${app}.yaml`, release(app, 'sha-000000000000')]),
  );
}

const run = (command, args, env = {}) => runProcess(command, args, { PATH: process.env.PATH, ...env });

function bump(emulator, inputs, extraEnv = {}) {
  const output = join(work, `out-${Math.random().toString(36).slice(2)}`);
  writeFileSync(output, '');
  writeFileSync(`${output}.md`, '');
  const env = {
    GITHUB_API_URL: emulator.url,
    GITHUB_GRAPHQL_URL: emulator.graphqlUrl,
    GITHUB_REPOSITORY: 'synestra/web',
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    GITHUB_OUTPUT: output,
    GITHUB_STEP_SUMMARY: `${output}.md`,
    'INPUT_GITOPS-REPOSITORY': `${OWNER}/${REPO}`,
    INPUT_TOKEN: WRITE_TOKEN,
    ...extraEnv,
  };
  for (const [key, value] of Object.entries(inputs)) env[`INPUT_${key.toUpperCase()}`] = value;
  return run(process.execPath, [join(ROOT, 'dist/bump-release-dev.js')], env);
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

function git(gitDir, ...args) {
  return run('git', ['--git-dir', gitDir, ...args]).then((result) => result.stdout.trim());
}

async function withEmulator(files, body) {
  const emulator = await startGitHubEmulator({ repos: [{ owner: OWNER, name: REPO, files }] });
  try {
    return await body(emulator, emulator.repoDir(OWNER, REPO));
  } finally {
    await emulator.close();
  }
}

const rows = [];
function row(what, target, measured, holds, detail = '') {
  rows.push({ what, target, measured, holds, detail });
}

// 1. Requests for a one-app bump.
await withEmulator(seed(1), async (emulator) => {
  emulator.resetCounts();
  const result = await bump(emulator, { app: 'app-0', tag: 'sha-111111111111' });
  if (result.code !== 0) throw new Error(`bump failed: ${result.stdout}${result.stderr}`);
  const count = emulator.requests.total;
  row(
    'GitHub API requests, one-app bump',
    '≤ 2 (anchor 6)',
    count,
    count <= 2,
    JSON.stringify(emulator.requests.byRoute),
  );
});

// 2. Requests for an atomic change of 50 apps (one commit). promote-prod is not built yet:
//    measured with a 50-app bump into dev's release layer, the same read/commit path.
await withEmulator(seed(50, 'dev'), async (emulator, gitDir) => {
  emulator.resetCounts();
  const result = await bump(emulator, {
    app: apps(50).join(','),
    tag: 'sha-222222222222',
  });
  if (result.code !== 0) throw new Error(`50-app bump failed: ${result.stdout}`);
  const count = emulator.requests.total;
  const files = (await git(gitDir, 'diff', '--name-only', 'main~1', 'main')).split('\n').length;
  row(
    'requests, atomic 50-app release (one commit)',
    '≤ 3 (anchor ~55)',
    count,
    count <= 3 && files === 50,
    `${files} files in one commit; measured as a 50-app bump into dev (promote-prod not built yet)`,
  );
});

// 3 + 4. One action run ÷ bare node, and peak memory, interleaved. The emulator's own
//        answer time (real git, GraphQL validation) is inside the action's wall time; it
//        is measured too, so the client's share can be read apart from the server's.
await withEmulator(seed(1), async (emulator) => {
  const actionMs = [];
  const serverMs = [];
  const startupMs = [];
  const bareMs = [];
  writeFileSync(rssFile, '');
  const bareRss = join(work, 'bare-rss');
  writeFileSync(bareRss, '');
  const rssEnv = {
    NODE_OPTIONS: `--import=${join(ROOT, 'bench/report-rss.mjs')}`,
    TAGRELAY_RSS_FILE: rssFile,
  };
  for (let index = 0; index < RUNS; index++) {
    const bare = await run(process.execPath, ['--import', join(ROOT, 'bench/report-rss.mjs'), '-e', ''], {
      TAGRELAY_RSS_FILE: bareRss,
    });
    bareMs.push(bare.ms);
    emulator.resetCounts();
    const action = await bump(emulator, { app: 'app-0', tag: `v1.0.${index}` }, rssEnv);
    if (action.code !== 0) throw new Error(`bump failed: ${action.stdout}`);
    actionMs.push(action.ms);
    serverMs.push(emulator.requests.serverMs);
    // Start-up alone: the same entry refusing its input before any request.
    startupMs.push((await bump(emulator, { app: 'app-0', tag: 'latest' })).ms);
  }
  const bare = median(bareMs);
  const ratio = median(actionMs) / bare;
  const clientRatio = (median(actionMs) - median(serverMs)) / bare;
  row(
    'one action run ÷ bare node (wall, median)',
    '≤ 1.4× (anchor 1.9×)',
    `${ratio.toFixed(2)}×`,
    ratio <= 1.4,
    `action ${median(actionMs).toFixed(0)} ms, node -e '' ${bare.toFixed(0)} ms, ${RUNS} runs each, interleaved; ` +
      `of the action's time the emulator answering took ${median(serverMs).toFixed(0)} ms ` +
      `(client side alone ${clientRatio.toFixed(2)}×); start-up to a refused input ${median(startupMs).toFixed(0)} ms`,
  );
  const peaks = readFileSync(rssFile, 'utf8').trim().split('\n').map(Number);
  const barePeaks = readFileSync(bareRss, 'utf8').trim().split('\n').map(Number);
  const peakMiB = Math.max(...peaks) / 1024;
  row(
    'peak memory of one action run',
    '≤ 55 MiB (anchor 64)',
    `${peakMiB.toFixed(1)} MiB`,
    peakMiB <= 55,
    `max RSS over ${peaks.length} runs; bare node ${(Math.max(...barePeaks) / 1024).toFixed(1)} MiB`,
  );
});

// 5. Bundle sizes.
{
  const files = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.js')) files.push([path.slice(ROOT.length + 1), statSync(path).size]);
    }
  };
  walk(join(ROOT, 'dist'));
  const total = files.reduce((sum, [, size]) => sum + size, 0);
  row(
    'all dist bundles together',
    '≤ 1 MB (anchor 2.0 MB for one)',
    `${(total / 1e6).toFixed(3)} MB`,
    total <= 1e6,
    files.map(([file, size]) => `${file} ${(size / 1024).toFixed(0)} KiB`).join(', '),
  );
}

// 6. 50 concurrent bumps on one branch.
await withEmulator(seed(50), async (emulator, gitDir) => {
  emulator.setFaults({ latencyMs: 10 });
  const single = await bump(emulator, { app: 'app-0', tag: 'sha-aaaaaaaaaaaa' });
  emulator.resetCounts();
  const started = performance.now();
  const results = await Promise.all(
    apps(50).map((app, index) => bump(emulator, { app, tag: `v9.0.${index}` })),
  );
  const wall = performance.now() - started;
  const landed = results.filter((result) => result.code === 0).length;
  let lost = 0;
  for (const [index, app] of apps(50).entries()) {
    const text = await git(gitDir, 'show', `main:deploy/env/release-dev/${app}.yaml`);
    if (!text.includes(`tag: v9.0.${index} `)) lost++;
  }
  const mutations = Object.entries(emulator.requests.byRoute)
    .filter(([route]) => route.startsWith('graphql mutation'))
    .reduce((sum, [, count]) => sum + count, 0);
  const linear = (await git(gitDir, 'rev-list', '--min-parents=2', 'main')) === '';
  row(
    '50 concurrent bumps on one branch',
    '50/50 land, 0 lost (anchor 3 of 10 failed)',
    `${landed}/50 landed, ${lost} lost`,
    landed === 50 && lost === 0 && linear,
    `${mutations - landed} commit retries, wall ${(wall / 1000).toFixed(1)} s vs serial lower bound ${((50 * single.ms) / 1000).toFixed(1)} s (50 × one run); history linear: ${linear}`,
  );
});

// 7. smoke-dev: the new version goes live at a random moment 1–3 s into the run; the dev site
//    timestamps every request, so the detection lag and the requests per URL are the site's own.
await withEmulator({ 'deploy/env/release-dev/shop.yaml': release('shop', 'sha-new') }, async (emulator) => {
  const lags = [];
  let peak = 0;
  let failures = 0;
  const runs = Math.max(3, Math.min(RUNS, 8));
  for (let index = 0; index < runs; index++) {
    const site = await startDevSite({ version: 'sha-old' });
    try {
      site.switchTo('sha-new', 1000 + Math.random() * 2000);
      const output = join(work, `smoke-${index}`);
      writeFileSync(output, '');
      writeFileSync(`${output}.md`, '');
      const result = await run(process.execPath, [join(ROOT, 'dist/smoke-dev.js')], {
        GITHUB_API_URL: emulator.url,
        GITHUB_GRAPHQL_URL: emulator.graphqlUrl,
        GITHUB_REPOSITORY: 'synestra/web',
        GITHUB_OUTPUT: output,
        GITHUB_STEP_SUMMARY: `${output}.md`,
        'INPUT_GITOPS-REPOSITORY': `${OWNER}/${REPO}`,
        INPUT_TOKEN: WRITE_TOKEN,
        INPUT_APP: 'shop',
        INPUT_TAG: 'sha-new',
        INPUT_URL: site.url,
        'INPUT_VERSION-SOURCE': 'header:x-app-version',
        'INPUT_ROLLOUT-TIMEOUT': '10s',
        'INPUT_REQUEST-TIMEOUT': '2s',
      });
      if (result.code !== 0) failures++;
      const lag = site.detectionLagMs('sha-new');
      if (lag !== undefined) lags.push(lag);
      peak = Math.max(peak, site.peakPerWindow(1000).peak);
    } finally {
      await site.close();
    }
  }
  const worst = Math.max(...lags);
  row(
    'smoke: new version live → detected',
    '≤ 1 s, ≤ 2 req/s per URL (anchor: 30 s poll)',
    `${(worst / 1000).toFixed(2)} s, ${peak} req/s`,
    failures === 0 && lags.length === runs && worst <= 1000 && peak <= 2,
    `detection lag over ${runs} runs: median ${(median(lags) / 1000).toFixed(2)} s, worst ${(worst / 1000).toFixed(2)} s; ` +
      `peak requests to one URL in any 1 s window: ${peak}; failed runs: ${failures}`,
  );
});

row(
  'local end-to-end (bump → rollout → smoke → promote)',
  '≤ 3 s',
  'not measured',
  null,
  'promote-prod is not built yet',
);

rmSync(work, { recursive: true, force: true });

const results = {
  node: process.version,
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model,
  date: new Date().toISOString(),
  runs: RUNS,
  rows,
};
writeFileSync(join(ROOT, 'bench/results.json'), `${JSON.stringify(results, null, 2)}\n`);
const widths = [50, 42, 24, 6];
const line = (cells) => cells.map((cell, index) => String(cell).padEnd(widths[index] ?? 0)).join(' ');
console.log(`node ${process.version}, ${cpus().length} CPUs\n`);
console.log(line(['what', 'target', 'measured', 'holds']));
for (const entry of rows) {
  console.log(
    line([
      entry.what,
      entry.target,
      entry.measured,
      entry.holds === null ? 'n/a' : entry.holds ? 'yes' : 'NO',
    ]),
  );
  if (entry.detail) console.log(`    ${entry.detail}`);
}
