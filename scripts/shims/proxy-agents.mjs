// Bundled into dist/proxy-agents.cjs (see scripts/bundle.mjs): the agents node-fetch uses
// for GitHub's requests when HTTP_PROXY or HTTPS_PROXY is set (src/github/network.ts).
export { HttpProxyAgent } from 'http-proxy-agent';
export { HttpsProxyAgent } from 'https-proxy-agent';
