// Preloaded into a benchmarked run (`node --require`): records, in ms since the process
// started, when the preload ran, when each HTTP request started and its response ended,
// and when the process exited, as one JSON line appended to TAGRELAY_TIMELINE_FILE.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS preload, on purpose
const { appendFileSync } = require('node:fs');
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS preload, on purpose
const channels = require('node:diagnostics_channel');

const file = process.env.TAGRELAY_TIMELINE_FILE;
const now = () => performance.now();
const timeline = { preload: now(), requests: [] };
const open = new Map();
channels.subscribe('http.client.request.start', ({ request }) => {
  const entry = { path: request.path, start: now() };
  open.set(request, entry);
  timeline.requests.push(entry);
});
channels.subscribe('http.client.response.finish', ({ request }) => {
  const entry = open.get(request);
  if (entry) entry.headers = now();
  request.once('close', () => entry && (entry.end ??= now()));
  request.res?.once('end', () => entry && (entry.end = now()));
});
process.on('exit', () => {
  timeline.exit = now();
  if (file) appendFileSync(file, `${JSON.stringify(timeline)}\n`);
});
