// Bundled in place of fetch-blob/streams.cjs (under node-fetch). That module installs
// web streams when globalThis.ReadableStream is missing and Blob.prototype.stream when
// Blob lacks it; Node 18 and later have both (package.json asks for Node 20). Its check
// alone makes Node load its web streams implementation at start-up (≈ 1.5 ms), and its
// fallback would bundle web-streams-polyfill (59 KB): every action paid for nothing.
if (typeof globalThis.Blob?.prototype.stream !== 'function') {
  throw new Error('tagrelay needs Node 20 or later (Blob.prototype.stream is missing)');
}
