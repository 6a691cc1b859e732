// The transport of the bench's second floor (row "floor on node:http"): the least a fetch
// for @octokit/core can be on node:http, to measure what the transport costs. Bench only:
// no redirects, timeouts, compression or streaming, which the product's node-fetch gives.
import { request } from 'node:http';

export default function fetch(url, init = {}) {
  return new Promise((resolve, reject) => {
    const sent = request(url, { method: init.method, headers: init.headers, agent: init.agent }, (answer) => {
      const chunks = [];
      answer.on('data', (chunk) => chunks.push(chunk));
      answer.on('error', reject);
      answer.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const headers = Object.entries(answer.headers).map(([key, value]) => [key, String(value)]);
        resolve({
          status: answer.statusCode,
          url,
          headers: {
            get: (key) => answer.headers[key.toLowerCase()] ?? null,
            [Symbol.iterator]: () => headers.values(),
          },
          text: async () => text,
          json: async () => JSON.parse(text),
          arrayBuffer: async () => Buffer.from(text),
        });
      });
    });
    sent.on('error', reject);
    sent.end(init.body);
  });
}
