/** Sent as the User-Agent of every API request, so a GitOps repository's audit log says who called. */
export const VERSION = '0.1.0';
export const USER_AGENT = `tagrelay/${VERSION}`;
