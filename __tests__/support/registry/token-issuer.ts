/**
 * A loopback token service in the shape of Docker's (docs: distribution `spec/auth/token.md`,
 * `jwt.md`): `GET /token?service=…&scope=repository:<name>:<actions>` with optional basic
 * credentials answers `{ token, access_token, expires_in, issued_at }`, an ES256 JWT whose
 * `x5c` header carries a certificate the registry trusts through `rootcertbundle`.
 *
 * Users get the actions they ask for; anonymous callers get `pull` when `anonymousPull`
 * is set, nothing otherwise. Wrong credentials get 401, as Docker Hub's service answers.
 */
import { randomUUID, sign } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { selfSignedIdentity, type SigningIdentity } from './certificate.js';

export interface Access {
  type: string;
  name: string;
  actions: string[];
}

export interface TokenIssuerOptions {
  users: Record<string, string>;
  anonymousPull?: boolean;
  /** Lifetime of tokens, seconds. */
  expiresIn?: number;
}

export interface TokenIssuer {
  /** The realm: `http://127.0.0.1:<port>/token`. */
  realm: string;
  issuer: string;
  service: string;
  /** PEM of the certificate to put in the registry's `rootcertbundle`. */
  certificatePem: string;
  /** Token requests served, with their scopes and whether they carried credentials. */
  requests: { scopes: string[]; user: string | undefined; status: number }[];
  /** A token signed like the issued ones, for the test's own pushes. */
  mint(access: Access[], subject?: string): string;
  close(): Promise<void>;
}

const base64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

function parseScope(scope: string): Access | undefined {
  // type:name:actions, where the name may itself contain ':' (a port never appears in it).
  const first = scope.indexOf(':');
  const last = scope.lastIndexOf(':');
  if (first === -1 || last === first) return undefined;
  return {
    type: scope.slice(0, first),
    name: scope.slice(first + 1, last),
    actions: scope
      .slice(last + 1)
      .split(',')
      .filter(Boolean),
  };
}

function jwt(identity: SigningIdentity, claims: Record<string, unknown>): string {
  const header = { typ: 'JWT', alg: 'ES256', x5c: [identity.der.toString('base64')] };
  const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  // JOSE wants r||s, not DER.
  const signature = sign('sha256', Buffer.from(input), {
    key: identity.privateKey,
    dsaEncoding: 'ieee-p1363',
  });
  return `${input}.${base64url(signature)}`;
}

export async function startTokenIssuer(options: TokenIssuerOptions): Promise<TokenIssuer> {
  const identity = selfSignedIdentity('tagrelay test token issuer');
  const issuer = 'tagrelay-test-issuer';
  const service = 'tagrelay-test-registry';
  const expiresIn = options.expiresIn ?? 300;
  const requests: TokenIssuer['requests'] = [];

  const mint = (access: Access[], subject = ''): string => {
    const now = Math.floor(Date.now() / 1000);
    return jwt(identity, {
      iss: issuer,
      sub: subject,
      aud: service,
      exp: now + expiresIn,
      nbf: now - 1,
      iat: now,
      jti: randomUUID(),
      access,
    });
  };

  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const scopes = url.searchParams.getAll('scope');
    const answer = (status: number, body: unknown, user?: string) => {
      requests.push({ scopes, user, status });
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (url.pathname !== '/token' || request.method !== 'GET') return answer(404, { details: 'not found' });
    if (url.searchParams.get('service') !== service) return answer(400, { details: 'unknown service' });

    let user: string | undefined;
    const authorization = request.headers.authorization;
    if (authorization !== undefined) {
      const match = /^Basic ([A-Za-z0-9+/=]+)$/.exec(authorization);
      const decoded = match ? Buffer.from(match[1] as string, 'base64').toString('utf8') : '';
      const colon = decoded.indexOf(':');
      const [name, password] = colon === -1 ? ['', ''] : [decoded.slice(0, colon), decoded.slice(colon + 1)];
      if (colon === -1 || options.users[name] !== password) {
        return answer(401, { details: 'incorrect username or password' }, name || undefined);
      }
      user = name;
    }
    const access = scopes
      .map(parseScope)
      .filter((item): item is Access => item !== undefined && item.type === 'repository')
      .map((item) => ({
        ...item,
        actions:
          user !== undefined
            ? item.actions
            : options.anonymousPull
              ? item.actions.filter((a) => a === 'pull')
              : [],
      }));
    const token = mint(access, user ?? '');
    answer(
      200,
      { token, access_token: token, expires_in: expiresIn, issued_at: new Date().toISOString() },
      user,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    realm: `http://127.0.0.1:${port}/token`,
    issuer,
    service,
    certificatePem: identity.pem,
    requests,
    mint,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
