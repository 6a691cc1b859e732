// Bundled in place of web-streams-polyfill. fetch-blob (under node-fetch) requires it only
// when globalThis.ReadableStream is missing, which never happens on Node 18 and later
// (package.json asks for Node 20): 59 KB every action would parse at start-up for nothing.
throw new Error('tagrelay bundles no web-streams-polyfill: run it on Node 20 or later');
