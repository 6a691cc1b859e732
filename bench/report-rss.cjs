// Preloaded into a benchmarked process (node --require, CommonJS: cheaper than an ESM
// --import preload, which would slow the very baseline it measures): on exit, append its
// peak resident set size in KiB to the file TAGRELAY_RSS_FILE names.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS preload, on purpose
const { appendFileSync } = require('node:fs');

const file = process.env.TAGRELAY_RSS_FILE;
if (file) process.on('exit', () => appendFileSync(file, `${process.resourceUsage().maxRSS}\n`));
