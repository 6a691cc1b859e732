// Preloaded into a process whose memory the bench reports (node --require, CommonJS: the
// cheapest preload; timed runs go without it): on exit, append its peak resident set size
// in KiB to the file TAGRELAY_RSS_FILE names.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS preload, on purpose
const { appendFileSync } = require('node:fs');

const file = process.env.TAGRELAY_RSS_FILE;
if (file) process.on('exit', () => appendFileSync(file, `${process.resourceUsage().maxRSS}\n`));
