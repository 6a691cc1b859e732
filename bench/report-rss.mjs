// Preloaded into a benchmarked process (node --import): on exit, append its peak
// resident set size in KiB to the file TAGRELAY_RSS_FILE names.
import { appendFileSync } from 'node:fs';

const file = process.env.TAGRELAY_RSS_FILE;
if (file) process.on('exit', () => appendFileSync(file, `${process.resourceUsage().maxRSS}\n`));
