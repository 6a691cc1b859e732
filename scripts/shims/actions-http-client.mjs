// Bundled in place of @actions/http-client. @actions/core imports it only for
// getIDToken (OIDC), which tagrelay never calls; the real module drags in undici
// (~400 KB) that every action would parse at start-up for nothing.
function unavailable() {
  throw new Error('tagrelay bundles no @actions/http-client: OIDC tokens are not supported');
}
export class HttpClient {
  constructor() {
    unavailable();
  }
}
export class BearerCredentialHandler {
  constructor() {
    unavailable();
  }
}
