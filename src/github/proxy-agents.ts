/**
 * The agents that take GitHub's requests through a proxy: http:// as absolute URLs
 * (http-proxy-agent), https:// through a CONNECT tunnel (https-proxy-agent), each kept
 * alive like the direct ones. network.ts loads this module only when a proxy is set; in
 * dist/ the two libraries are dist/proxy-agents.cjs, required from here.
 */
import type { Agent } from 'node:http';
import { HttpProxyAgent } from 'http-proxy-agent';
import { HttpsProxyAgent } from 'https-proxy-agent';

/** One agent per proxy and target scheme, made on first use. */
export function proxyAgents(): (target: URL, proxyUrl: string) => Agent {
  const agents = new Map<string, Agent>();
  return (target, proxyUrl) => {
    const key = `${target.protocol} ${proxyUrl}`;
    let agent = agents.get(key);
    if (agent === undefined) {
      agent =
        target.protocol === 'http:'
          ? new HttpProxyAgent(proxyUrl, { keepAlive: true })
          : new HttpsProxyAgent(proxyUrl, { keepAlive: true });
      agents.set(key, agent);
    }
    return agent;
  };
}
