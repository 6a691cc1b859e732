// `npm run bench`: measures the targets of DESIGN §6 on this machine, prints a table
// and writes bench/results.json. Every figure is measured here; nothing is assumed.
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { build } from 'esbuild';
import { pathToFileURL } from 'node:url';
import { bundleOptions } from '../scripts/bundle-options.mjs';
import { ROOT, distScript, loadDevSite, loadEmulator, runProcess } from '../scripts/load-test-support.mjs';

const OWNER = 'synestra';
const REPO = 'gitops';
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
// `BENCH_ONLY=concurrent,startup` runs only the named sections (while working on one figure).
const ONLY = process.env.BENCH_ONLY?.split(',');
const want = (section) => !ONLY || ONLY.includes(section);
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

/** A success record as smoke-dev writes it: a commit status on the commit that set the tag. */
async function recordSuccess(emulator, commit, app, tag) {
  const response = await fetch(`${emulator.url}/repos/${OWNER}/${REPO}/statuses/${commit}`, {
    method: 'POST',
    headers: { authorization: `token ${WRITE_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      state: 'success',
      context: `tagrelay/smoke/dev/${app}`,
      description: `passed: ${tag} (3 of 3 checks)`,
      target_url: 'https://github.com/synestra/web/actions/runs/1',
    }),
  });
  if (response.status !== 201) throw new Error(`status for ${app}: ${response.status}`);
}

function bump(emulator, inputs, extraEnv = {}) {
  return action(emulator, 'bump-release-dev', inputs, extraEnv);
}

function action(emulator, entry, inputs, extraEnv = {}) {
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
  return run(process.execPath, [isAbsolute(entry) ? entry : distEntry(entry)], env);
}

/** The script the runner runs for `entry`; `BENCH_DIST=DIR` measures another build of dist/ instead. */
const distEntry = (entry) => distScript(entry, process.env.BENCH_DIST);

/**
 * bench/floor-bump.mjs bundled the way dist/bump-release-dev.cjs is; `transport` 'node:http'
 * swaps node-fetch for bench/node-http-fetch.mjs.
 */
async function bundleFloor(transport = 'node-fetch') {
  const options = bundleOptions(ROOT);
  const outfile = join(ROOT, `node_modules/.cache/tagrelay/floor-bump-${transport.replace(':', '-')}.cjs`);
  await build({
    ...options,
    alias:
      transport === 'node:http'
        ? { ...options.alias, 'node-fetch': join(ROOT, 'bench/node-http-fetch.mjs') }
        : options.alias,
    absWorkingDir: ROOT,
    entryPoints: [join(ROOT, 'bench/floor-bump.mjs')],
    outfile,
    legalComments: 'none',
    logLevel: 'warning',
  });
  return outfile;
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

if (want('requests')) {
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
}

if (want('promotion')) {
  // 2a. One-app promotion, gate included: requests and wall time (median of 5).
  await withEmulator({ ...seed(1, 'dev'), ...seed(1, 'prod') }, async (emulator, gitDir) => {
    const times = [];
    let count = 0;
    const promoteRss = join(work, 'promote-rss');
    writeFileSync(promoteRss, '');
    for (let index = 0; index < 5; index++) {
      const tag = `sha-1a00000000${String(index).padStart(2, '0')}`;
      const bumped = await bump(emulator, { app: 'app-0', tag });
      if (bumped.code !== 0) throw new Error(`bump failed: ${bumped.stdout}`);
      await recordSuccess(emulator, await git(gitDir, 'rev-parse', 'main'), 'app-0', tag);
      emulator.resetCounts();
      const result = await action(
        emulator,
        'promote-prod',
        { app: 'app-0' },
        { NODE_OPTIONS: `--require=${join(ROOT, 'bench/report-rss.cjs')}`, TAGRELAY_RSS_FILE: promoteRss },
      );
      if (result.code !== 0) throw new Error(`promotion failed: ${result.stdout}`);
      count = Math.max(count, emulator.requests.total);
      times.push(result.ms);
    }
    const promotePeak = Math.max(...readFileSync(promoteRss, 'utf8').trim().split('\n').map(Number)) / 1024;
    row(
      'one-app promotion, gate included',
      '≤ 2 requests',
      `${count} requests, ${median(times).toFixed(0)} ms`,
      count <= 2,
      `wall median of ${times.length} runs (spread ${Math.min(...times).toFixed(0)}–${Math.max(...times).toFixed(0)} ms), the emulator's answers included`,
    );
    row(
      'peak memory of one promote run',
      '≤ 48 MiB (anchor 64)',
      `${promotePeak.toFixed(2)} MiB`,
      promotePeak <= 48,
      `max RSS over ${times.length} one-app promotions, gate included (no registry inputs: the path that stays off undici)`,
    );
  });

  // 2. Requests for an atomic promotion of 50 apps, gate included: dev bumped in one commit,
  //    a success record (commit status, as smoke-dev writes it) per app, then promote-prod.
  await withEmulator({ ...seed(50, 'dev'), ...seed(50, 'prod') }, async (emulator, gitDir) => {
    const bumped = await bump(emulator, { app: apps(50).join(','), tag: 'sha-222222222222' });
    if (bumped.code !== 0) throw new Error(`50-app bump failed: ${bumped.stdout}`);
    const devCommit = await git(gitDir, 'rev-parse', 'main');
    for (const app of apps(50)) await recordSuccess(emulator, devCommit, app, 'sha-222222222222');
    emulator.resetCounts();
    const result = await action(emulator, 'promote-prod', { app: apps(50).join(',') });
    if (result.code !== 0) throw new Error(`50-app promotion failed: ${result.stdout}`);
    const count = emulator.requests.total;
    const files = (await git(gitDir, 'diff', '--name-only', 'main~1', 'main')).split('\n').length;
    row(
      'requests, atomic promotion of 50 apps, gate included',
      '≤ 3 (anchor REST git-data ~55)',
      count,
      count <= 3 && files === 50,
      `${files} files in one commit; ${JSON.stringify(emulator.requests.byRoute)}; promote-prod ${result.ms.toFixed(0)} ms`,
    );
  });
}

if (want('startup')) {
  // 3 + 4. One action run ÷ bare node, and peak memory, interleaved. The emulator's own
  //        answer time (real git, GraphQL validation) is inside the action's wall time; it
  //        is measured too, so the client's share can be read apart from the server's.
  await withEmulator(seed(1), async (emulator) => {
    const actionMs = [];
    const serverMs = [];
    const startupMs = [];
    const floorMs = [];
    const httpFloorMs = [];
    const floorScript = await bundleFloor();
    const httpFloorScript = await bundleFloor('node:http');
    const bareMs = [];
    writeFileSync(rssFile, '');
    const bareRss = join(work, 'bare-rss');
    writeFileSync(bareRss, '');
    const rssEnv = {
      NODE_OPTIONS: `--require=${join(ROOT, 'bench/report-rss.cjs')}`,
      TAGRELAY_RSS_FILE: rssFile,
    };
    for (let index = 0; index < RUNS; index++) {
      // The baseline is a true bare `node -e ''` (no preload); its memory comes from a separate run.
      bareMs.push((await run(process.execPath, ['-e', ''])).ms);
      await run(process.execPath, ['--require', join(ROOT, 'bench/report-rss.cjs'), '-e', ''], {
        TAGRELAY_RSS_FILE: bareRss,
      });
      // Timed without the memory preload, like the baseline; a twin run reports the peak memory.
      emulator.resetCounts();
      const bumped = await bump(emulator, { app: 'app-0', tag: `v1.0.${index}` });
      if (bumped.code !== 0) throw new Error(`bump failed: ${bumped.stdout}`);
      actionMs.push(bumped.ms);
      serverMs.push(emulator.requests.serverMs);
      const twin = await bump(emulator, { app: 'app-0', tag: `v1.3.${index}` }, rssEnv);
      if (twin.code !== 0) throw new Error(`bump failed: ${twin.stdout}`);
      // Start-up alone: the same entry refusing its input before any request.
      startupMs.push((await bump(emulator, { app: 'app-0', tag: 'latest' })).ms);
      // The floor: the same two requests by hand on the same libraries (bench/floor-bump.mjs).
      emulator.resetCounts();
      const floor = await action(emulator, floorScript, { app: 'app-0', tag: `v1.1.${index}` });
      if (floor.code !== 0) throw new Error(`floor bump failed: ${floor.stderr}`);
      floorMs.push(floor.ms - emulator.requests.serverMs);
      emulator.resetCounts();
      const httpFloor = await action(emulator, httpFloorScript, { app: 'app-0', tag: `v1.2.${index}` });
      if (httpFloor.code !== 0) throw new Error(`floor bump on node:http failed: ${httpFloor.stderr}`);
      httpFloorMs.push(httpFloor.ms - emulator.requests.serverMs);
    }
    const bare = median(bareMs);
    const ratio = median(actionMs) / bare;
    const clientRatio = (median(actionMs) - median(serverMs)) / bare;
    row(
      'one bump: client time ÷ bare node (median)',
      '≤ 2.5× (see the floor row below)',
      `${clientRatio.toFixed(2)}×`,
      clientRatio <= 2.5,
      `action ${median(actionMs).toFixed(0)} ms (spread ${Math.min(...actionMs).toFixed(0)}–${Math.max(...actionMs).toFixed(0)}), ` +
        `of which the emulator answering ${median(serverMs).toFixed(0)} ms; node -e '' ${bare.toFixed(0)} ms ` +
        `(spread ${Math.min(...bareMs).toFixed(0)}–${Math.max(...bareMs).toFixed(0)}); ${RUNS} runs each, interleaved; ` +
        `wall ratio with the emulator ${ratio.toFixed(2)}×; start-up to a refused input ${median(startupMs).toFixed(0)} ms`,
    );
    const floorRatio = median(floorMs) / bare;
    row(
      'floor: the same bump by hand on the same libraries',
      'none (what the ratio above can approach)',
      `${floorRatio.toFixed(2)}×`,
      null,
      `client time ${median(floorMs).toFixed(0)} ms (spread ${Math.min(...floorMs).toFixed(0)}–${Math.max(...floorMs).toFixed(0)}): ` +
        'bench/floor-bump.mjs, the two requests through @octokit/core on node-fetch and the edit with yaml, ' +
        'bundled like dist/bump-release-dev.cjs; no checks, retries, verification or summary',
    );
    row(
      'floor on node:http: the same, node-fetch swapped out',
      'none (what the transport costs)',
      `${(median(httpFloorMs) / bare).toFixed(2)}×`,
      null,
      `client time ${median(httpFloorMs).toFixed(0)} ms (spread ${Math.min(...httpFloorMs).toFixed(0)}–${Math.max(...httpFloorMs).toFixed(0)}): ` +
        'bench/floor-bump.mjs with bench/node-http-fetch.mjs as the fetch Octokit is given, ' +
        `${(median(floorMs) - median(httpFloorMs)).toFixed(0)} ms less than on node-fetch`,
    );
    const peaks = readFileSync(rssFile, 'utf8').trim().split('\n').map(Number);
    const barePeaks = readFileSync(bareRss, 'utf8').trim().split('\n').map(Number);
    const peakMiB = Math.max(...peaks) / 1024;
    row(
      'peak memory of one bump run',
      '≤ 48 MiB (anchor 64)',
      `${peakMiB.toFixed(2)} MiB`,
      peakMiB <= 48,
      `max RSS over ${peaks.length} runs; bare node ${(Math.max(...barePeaks) / 1024).toFixed(1)} MiB`,
    );
  });
}

if (want('timeline')) {
  // 3b. Where one bump's time goes: a preloaded module (bench/timeline-preload.cjs) stamps
  //     the preload, each HTTP request's start and end, and the exit, in ms since the process
  //     started; importing the bundle without running it (entries do no work when imported)
  //     times loading, compiling and evaluating the module graph alone.
  await withEmulator(seed(1), async (emulator) => {
    const timelineFile = join(work, 'timeline');
    writeFileSync(timelineFile, '');
    const importMs = [];
    const serverMs = [];
    // Loaded the way node runs it: require() for a CommonJS bundle, import() for an ES module.
    const script = distEntry('bump-release-dev');
    const load = script.endsWith('.cjs')
      ? [
          '-e',
          `const t = performance.now(); require(${JSON.stringify(script)}); console.log(performance.now() - t);`,
        ]
      : [
          '--input-type=module',
          '-e',
          `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(script).href)}); console.log(performance.now() - t);`,
        ];
    for (let index = 0; index < RUNS; index++) {
      const imported = await run(process.execPath, load);
      importMs.push(Number(imported.stdout.trim()));
      emulator.resetCounts();
      const result = await bump(
        emulator,
        { app: 'app-0', tag: `v2.0.${index}` },
        {
          NODE_OPTIONS: `--require=${join(ROOT, 'bench/timeline-preload.cjs')}`,
          TAGRELAY_TIMELINE_FILE: timelineFile,
        },
      );
      if (result.code !== 0) throw new Error(`bump failed: ${result.stdout}`);
      serverMs.push(emulator.requests.serverMs);
    }
    const runs = readFileSync(timelineFile, 'utf8')
      .trim()
      .split('\n')
      .map((text) => JSON.parse(text))
      .filter((timeline) => timeline.requests.length === 2);
    const at = (pick) => median(runs.map(pick)).toFixed(0);
    const [read, commit] = [0, 1];
    const parts = [
      `node start-up to the preload ${at((t) => t.preload)} ms`,
      `then to the first request ${at((t) => t.requests[read].start - t.preload)} ms ` +
        `(of which importing the bundle alone ${median(importMs).toFixed(0)} ms)`,
      `read ${at((t) => t.requests[read].end - t.requests[read].start)} ms`,
      `plan and edit ${at((t) => t.requests[commit].start - t.requests[read].end)} ms`,
      `commit ${at((t) => t.requests[commit].end - t.requests[commit].start)} ms`,
      `to exit ${at((t) => t.exit - t.requests[commit].end)} ms`,
      `in all ${at((t) => t.exit)} ms, the emulator answering ${median(serverMs).toFixed(0)} ms of it`,
    ];
    row(
      "where one bump's time goes (medians)",
      'see bench/README.md',
      `${at((t) => t.exit)} ms`,
      null,
      parts.join('; '),
    );
  });
}

if (want('bundles')) {
  // 5. Bundle sizes.
  {
    const files = [];
    const walk = (dir) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (/\.c?js$/.test(name)) files.push([relative(ROOT, path), statSync(path).size]);
      }
    };
    walk(process.env.BENCH_DIST ? resolve(process.env.BENCH_DIST) : join(ROOT, 'dist'));
    const total = files.reduce((sum, [, size]) => sum + size, 0);
    row(
      'all dist bundles together',
      '≤ 1 MB (anchor 2.0 MB for one)',
      `${(total / 1e6).toFixed(3)} MB`,
      total <= 1e6,
      files.map(([file, size]) => `${file} ${(size / 1024).toFixed(0)} KiB`).join(', '),
    );
  }
}

if (want('concurrent')) {
  // 6. 50 concurrent bumps on one branch, 30 ms latency per request (DESIGN §6), in
  //    BENCH_CONCURRENT_RUNS rounds (default 3; the wall time moves with the machine's load).
  //    Each round's serial lower bound is 50 × the median of five single runs just before it.
  const rounds = Number(process.env.BENCH_CONCURRENT_RUNS ?? 3);
  await withEmulator(seed(50), async (emulator, gitDir) => {
    emulator.setFaults({ latencyMs: 30 });
    const measured = [];
    for (let round = 0; round < rounds; round++) {
      const singles = [];
      for (let index = 0; index < 5; index++) {
        const single = await bump(emulator, { app: 'app-0', tag: `sha-aaaaaaaaa${round}${index}0` });
        if (single.code !== 0) throw new Error(`bump failed: ${single.stdout}`);
        singles.push(single.ms);
      }
      const serial = 50 * median(singles);
      emulator.resetCounts();
      const started = performance.now();
      const landings = [];
      const stopListening = emulator.onPush(() => landings.push(performance.now() - started));
      const results = await Promise.all(
        apps(50).map((app, index) => bump(emulator, { app, tag: `v9.${round}.${index}` })),
      );
      const wall = performance.now() - started;
      stopListening();
      const landed = results.filter((result) => result.code === 0).length;
      let lost = 0;
      for (const [index, app] of apps(50).entries()) {
        const text = await git(gitDir, 'show', `main:deploy/env/release-dev/${app}.yaml`);
        if (!text.includes(`tag: v9.${round}.${index} `)) lost++;
      }
      const mutations = Object.entries(emulator.requests.byRoute)
        .filter(([route]) => route.startsWith('graphql mutation'))
        .reduce((sum, [, count]) => sum + count, 0);
      measured.push({
        landed,
        lost,
        requests: emulator.requests.total,
        perWriter: (mutations - landed) / 50,
        wall,
        serial,
        ratio: wall / serial,
        firstLanding: landings[0] ?? NaN,
        // Under contention, how far apart commits land: a read after one landed, then a commit.
        medianGap: median(landings.slice(1).map((at, index) => at - landings[index])),
      });
    }
    const linear = (await git(gitDir, 'rev-list', '--min-parents=2', 'main')) === '';
    const landed = Math.min(...measured.map((round) => round.landed));
    const lost = measured.reduce((sum, round) => sum + round.lost, 0);
    const perWriter = median(measured.map((round) => round.perWriter));
    const wallRatio = median(measured.map((round) => round.ratio));
    row(
      '50 concurrent bumps on one branch (30 ms latency)',
      '50/50, ≤ 3 retries/writer, wall ≤ 1.5× serial',
      `${landed}/50, ${perWriter.toFixed(1)} retries/writer, ${wallRatio.toFixed(2)}× (medians)`,
      landed === 50 && lost === 0 && linear && perWriter <= 3 && wallRatio <= 1.5,
      `${rounds} rounds, each: ` +
        measured
          .map(
            (round) =>
              `${round.landed}/50 landed, ${round.requests} requests, ${round.perWriter.toFixed(1)} retries/writer, ` +
              `wall ${(round.wall / 1000).toFixed(1)} s ÷ serial bound ${(round.serial / 1000).toFixed(1)} s = ${round.ratio.toFixed(2)}× ` +
              `(first commit landed at ${(round.firstLanding / 1000).toFixed(1)} s, then one every ${round.medianGap.toFixed(0)} ms at the median)`,
          )
          .join('; ') +
        `; ${lost} lost; history linear: ${linear}`,
    );
  });
}

if (want('smoke')) {
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
        const result = await action(emulator, 'smoke-dev', {
          app: 'shop',
          tag: 'sha-new',
          url: site.url,
          'version-source': 'header:x-app-version',
          'rollout-timeout': '10s',
          'request-timeout': '2s',
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
}

if (want('local')) {
  // 8. Local end to end: bump dev, the dev site serves the tag 1 s after the commit (Argo CD's
  //    rollout), smoke-dev notices and records it, promote-prod passes the gate and commits.
  await withEmulator({ ...seed(1, 'dev'), ...seed(1, 'prod') }, async (emulator, gitDir) => {
    const times = [];
    for (let index = 0; index < 3; index++) {
      const tag = `sha-e2e00000000${index}`;
      const site = await startDevSite({ version: `sha-before-${index}` });
      const off = emulator.onPush((event) => {
        if (
          event.files.some(
            (file) => file.path === 'deploy/env/release-dev/app-0.yaml' && file.content.includes(tag),
          )
        ) {
          site.armSwitch(tag, 1000);
          site.trigger();
        }
      });
      try {
        const started = performance.now();
        const steps = [
          ['bump-release-dev', { app: 'app-0', tag }],
          [
            'smoke-dev',
            {
              app: 'app-0',
              tag,
              url: site.url,
              'version-source': 'header:x-app-version',
              'rollout-timeout': '20s',
            },
          ],
          ['promote-prod', { app: 'app-0' }],
        ];
        for (const [entry, inputs] of steps) {
          const result = await action(emulator, entry, inputs);
          if (result.code !== 0) throw new Error(`${entry} failed: ${result.stdout}`);
        }
        times.push(performance.now() - started);
        const prod = await git(gitDir, 'show', 'main:deploy/env/release-prod/app-0.yaml');
        if (!prod.includes(`tag: ${tag}`)) throw new Error('prod did not get the tag');
      } finally {
        off();
        await site.close();
      }
    }
    const seconds = median(times) / 1000;
    row(
      'local end-to-end (bump → rollout 1 s → smoke → promote)',
      '≤ 3 s',
      `${seconds.toFixed(2)} s`,
      seconds <= 3,
      `median of ${times.length} runs (spread ${(Math.min(...times) / 1000).toFixed(2)}–${(Math.max(...times) / 1000).toFixed(2)} s), the 1 s rollout included`,
    );
  });
}

if (want('demo')) {
  // 9. `npm run demo`: the whole flow as printed for a new user.
  {
    const demo = await run(process.execPath, [join(ROOT, 'scripts/demo.mjs')]);
    if (demo.code !== 0) throw new Error(`demo failed: ${demo.stdout}${demo.stderr}`);
    row(
      '`npm run demo`, the whole flow',
      '≤ 10 s',
      `${(demo.ms / 1000).toFixed(1)} s`,
      demo.ms <= 10_000,
      'one run, wall time',
    );
  }
}

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
