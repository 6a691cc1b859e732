/**
 * The usage text of `tagrelay smoke`, apart from the command: main.ts shows it without
 * loading the command, whose HTTP client (undici) the other commands never need.
 */
export const SMOKE_USAGE = `Usage: tagrelay smoke --app APP --tag TAG --url URL [--env ENV]
                     [--paths P[,P...]] [--expect-status S] [--expect-body /PATH=REGEX]...
                     [--version-source SOURCE] [--rollout-timeout 10m] [--request-timeout 10s]
                     [--argocd-server URL [--argocd-app NAME] [--argocd-token-stdin] [--no-refresh]]
                     [--repo OWNER/NAME [--branch BRANCH] | --local DIR] [--commit-sha SHA] [--json]

Wait until ENV (default dev) serves exactly TAG, check its URLs, and record the result
on the GitOps commit that set the tag: commit status + deployment (--repo), or a git note
under refs/notes/tagrelay (--local). Without --repo or --local nothing is recorded.

Flags:
  --app APP                App name (required)
  --tag TAG                The tag that must be live (required)
  --url URL                Base URL, {app} and {env} are replaced, e.g.
                           https://{app}.dev.synestra.tech (required)
  --env ENV                Environment (default: dev)
  --paths P[,P...]         Paths to check (default: /, /admin, /api/health, where a 404
                           on /api/health means "no health endpoint")
  --expect-status S        Accepted statuses: 200-399 (default), 2xx, 200|302,
                           per path /api/health=200; comma-separated
  --expect-body /P=REGEX   The body of path P must match REGEX (repeatable)
  --version-source SOURCE  none, header:<name>, json:<path>#<pointer>, body:<regex>,
                           argocd (default: argocd with --argocd-server, else none)
  --rollout-timeout D      How long to wait for the tag (default: 10m)
  --request-timeout D      Timeout of one request (default: 10s)
  --argocd-server URL      Argo CD server; token from ARGOCD_AUTH_TOKEN
  --argocd-app NAME        Application name (default: the layout's template, {app}-{env})
  --argocd-token-stdin     Read the Argo CD token from the first line of standard input
  --no-refresh             Do not ask Argo CD to refresh the Application first
  --repo OWNER/NAME        Record on GitHub; token from GITHUB_TOKEN or GH_TOKEN
  --local DIR              Record as a git note in a local checkout
  --branch BRANCH          Branch whose history names the commit (default: default branch)
  --commit-sha SHA         Record on this GitOps commit instead
  --json                   Print the report as JSON
  -h, --help               Show this help

Progress goes to stderr, the result to stdout. Exit codes: 0 passed, 1 failed (the
rollout timed out or a check failed), 2 bad input.
`;
