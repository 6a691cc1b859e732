/** The Argo CD client against the API double, and the double against Argo CD's Application schema. */
import { Application } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1';
import { readApplication } from '../../src/core/argocd.js';
import { NotFoundError, PermissionError } from '../../src/core/errors.js';
import { ArgoCdClient, ArgoCdUnavailableError } from '../../src/smoke/argocd.js';
import { ARGOCD_TOKEN, startArgoCdDouble, type ArgoCdDouble } from '../support/argocd-double.js';

const OLD = 'a'.repeat(40);
const NEW = 'b'.repeat(40);
let argocd: ArgoCdDouble;
let client: ArgoCdClient;
const clients: ArgoCdClient[] = [];
const clientWith = (token: string, server = argocd.url) => {
  const made = new ArgoCdClient({ server, token, requestTimeoutMs: 1000 });
  clients.push(made);
  return made;
};

beforeEach(async () => {
  argocd = await startArgoCdDouble({
    apps: [
      {
        name: 'shop-dev',
        images: ['ghcr.io/acme/shop:sha-old'],
        revision: OLD,
        valueFiles: ['../../env/release-dev/shop.yaml'],
      },
    ],
    pollIntervalMs: 60_000,
    rolloutMs: 50,
    healthyAfterMs: 20,
  });
  client = clientWith(ARGOCD_TOKEN);
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await argocd.close();
});

const until = async (check: () => Promise<boolean>, ms: number) => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return false;
};

describe('ArgoCdClient against the double', () => {
  it('reads the whole Application, in a shape that validates against the Application CRD', async () => {
    const app = await client.getApplication('shop-dev');
    expect(app.metadata.name).toBe('shop-dev');
    expect(app.status).toMatchObject({
      sync: { status: 'Synced', revision: OLD },
      health: { status: 'Healthy' },
      summary: { images: ['ghcr.io/acme/shop:sha-old'] },
    });
    expect(() => new Application(app as never).validate()).not.toThrow();
    expect(argocd.requests.at(-1)).toMatchObject({
      method: 'GET',
      path: '/api/v1/applications/shop-dev',
      status: 200,
    });
  });

  it('sees a git change only after asking for a refresh, then the rollout', async () => {
    argocd.deploy('shop-dev', { images: ['ghcr.io/acme/shop:sha-new'], revision: NEW });
    const before = await client.getApplication('shop-dev');
    expect(before.status?.sync).toMatchObject({ status: 'Synced', revision: OLD });
    const refreshed = await client.getApplication('shop-dev', 'normal');
    expect(refreshed.status?.sync).toMatchObject({ status: 'OutOfSync', revision: NEW });
    expect(refreshed.status?.operationState?.phase).toBe('Running');
    expect(() => new Application(refreshed as never).validate()).not.toThrow();
    expect(argocd.refreshes('shop-dev')).toEqual(['normal']);
    const live = await until(
      async () => readApplication(await client.getApplication('shop-dev'), { tag: 'sha-new' }).live,
      2000,
    );
    expect(live).toBe(true);
    const after = await client.getApplication('shop-dev', 'hard');
    expect(after.status).toMatchObject({
      sync: { status: 'Synced', revision: NEW },
      health: { status: 'Healthy' },
      operationState: { phase: 'Succeeded' },
    });
    expect(argocd.refreshes('shop-dev')).toEqual(['normal', 'hard']);
  });

  it('starts a sync with POST …/sync, which undoes a drift', async () => {
    argocd.drift('shop-dev', ['ghcr.io/acme/shop:hotfix']);
    const refreshed = await client.getApplication('shop-dev', 'hard');
    expect(refreshed.status?.sync?.status).toBe('OutOfSync');
    const synced = await client.sync('shop-dev', { prune: true });
    expect(synced.status?.operationState?.phase).toBe('Running');
    expect(argocd.syncs).toEqual([{ name: 'shop-dev', body: { name: 'shop-dev', prune: true } }]);
    expect(
      await until(
        async () => readApplication(await client.getApplication('shop-dev'), { tag: 'sha-old' }).live,
        2000,
      ),
    ).toBe(true);
  });

  it.each([
    ['no token', ''],
    ['a wrong token', 'argocd-wrong-token-0123456789'],
  ])('maps a 401 for %s to a message naming the token input, without the token', async (_name, token) => {
    const error = await clientWith(token)
      .getApplication('shop-dev')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermissionError);
    expect((error as Error).message).toContain('rejected the token (401');
    expect((error as Error).message).toContain('argocd-token');
    if (token) expect((error as Error).message).not.toContain(token);
  });

  it('maps the 403 for an unknown application to "does not exist, or no permission"', async () => {
    const error = (await client.getApplication('blog-dev').catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(PermissionError);
    expect(error.message).toContain('answered 403 (permission denied) for application "blog-dev"');
    expect(error.message).toContain('does not exist');
    expect(error.message).toContain('applications, get');
    const sync = (await client.sync('blog-dev').catch((e: unknown) => e)) as Error;
    expect(sync.message).toContain('applications, sync');
    expect(argocd.requests.at(-1)?.status).toBe(403);
  });

  it('reports 5xx and refused connections as unavailable (worth retrying)', async () => {
    argocd.failWith(502);
    await expect(client.getApplication('shop-dev')).rejects.toThrow(ArgoCdUnavailableError);
    argocd.failWith(undefined);
    const closed = await startArgoCdDouble({ apps: [] });
    const url = closed.url;
    await closed.close();
    await expect(clientWith(ARGOCD_TOKEN, url).getApplication('shop-dev')).rejects.toThrow(
      'connection refused',
    );
  });

  it('says when the server is not an Argo CD API', async () => {
    const error = await clientWith(ARGOCD_TOKEN, `${argocd.url}/nothing`)
      .getApplication('shop-dev')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as Error).message).toContain('check argocd-server');
  });
});
