/** `tagrelay status`: the tag of every app in every environment. */
import { collectStatus, folderDiscovery, formatStatusTable, statusJson } from '../../operations/status.js';
import { EXIT_FAILED, EXIT_OK } from '../errors.js';
import { appList, openTarget, parseFlags, TARGET_OPTIONS, targetSpec, type CliIo } from '../target.js';

export const STATUS_USAGE = `Usage: tagrelay status (--repo OWNER/NAME [--branch BRANCH] | --local DIR)
                       [--app APP[,APP...]] [--json]

Show the image tag of each app in every environment of the layout's chain
(dev, prod unless deploy/tagrelay.yaml says otherwise), read at one commit, with the commit that set each tag and whether it was verified.
Apps whose tag differs from the next environment's are marked "dev ahead of prod".

Flags:
  --app APP[,APP...]   Apps to show (default: every app that has a release file)
  --repo OWNER/NAME    GitOps repository on GitHub; token from GITHUB_TOKEN or GH_TOKEN
  --branch BRANCH      Branch to read (default: the repository's default branch;
                       with --local only the checked-out branch)
  --local DIR          Read a local git checkout (its checked-out branch's head commit)
  --json               Print JSON instead of a table
  -h, --help           Show this help
`;

const STATUS_OPTIONS = {
  ...TARGET_OPTIONS,
  app: { type: 'string', multiple: true },
  json: { type: 'boolean' },
} as const;

export async function status(args: string[], io: CliIo): Promise<number> {
  const values = parseFlags(args, STATUS_OPTIONS);
  if (values.help) {
    io.stdout(STATUS_USAGE);
    return EXIT_OK;
  }
  const apps = appList(values.app);
  const spec = targetSpec(values);
  const { target } = await openTarget(spec, io);
  const report = await collectStatus(target, spec.branch, apps, folderDiscovery(target));
  io.stdout(values.json ? statusJson(report) : formatStatusTable(report));
  const broken = report.apps.flatMap((row) =>
    Object.values(row.environments).filter((cell) => cell.error !== undefined),
  );
  for (const cell of broken) io.stderr(`tagrelay: ${cell.error}\n`);
  return broken.length > 0 ? EXIT_FAILED : EXIT_OK;
}
