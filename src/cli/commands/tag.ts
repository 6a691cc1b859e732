/** `tagrelay tag`: the immutable tag build-and-tag gives a commit, printed and nothing else. */
import { renderTagFormat, utcDate } from '../../core/tag-format.js';
import { EXIT_OK } from '../errors.js';
import { parseFlags, type CliIo } from '../target.js';

export const TAG_USAGE = `Usage: tagrelay tag --sha SHA [--format FORMAT] [--run-number N] [--branch BRANCH]
                   [--date YYYYMMDD]

Print the immutable image tag build-and-tag computes for a commit, and nothing else:
  tagrelay tag --sha 0123456789abcdef0123456789abcdef01234567   →   sha-0123456789ab

Flags:
  --sha SHA           Commit SHA, 7-40 hex digits (required)
  --format FORMAT     Tag template (default: sha-{sha12}). Placeholders: {sha}, {sha7},
                      {sha12}, {run_number}, {date} (UTC YYYYMMDD), {branch} (slugged
                      to the OCI tag grammar). The result must be a valid tag, not latest.
  --run-number N      Value of {run_number}
  --branch BRANCH     Value of {branch}, e.g. feature/login → feature-login
  --date YYYYMMDD     Value of {date} (default: today, UTC)
  -h, --help          Show this help
`;

const TAG_OPTIONS = {
  sha: { type: 'string' },
  format: { type: 'string' },
  'run-number': { type: 'string' },
  branch: { type: 'string' },
  date: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function tag(args: string[], io: CliIo): Promise<number> {
  const values = parseFlags(args, TAG_OPTIONS);
  if (values.help) {
    io.stdout(TAG_USAGE);
    return EXIT_OK;
  }
  const rendered = renderTagFormat(
    values.format,
    {
      sha: values.sha ?? '',
      runNumber: values['run-number'],
      branch: values.branch,
      date: values.date ?? utcDate(new Date()),
    },
    {
      inputs: {
        format: '--format',
        sha: '--sha',
        runNumber: '--run-number',
        branch: '--branch',
        date: '--date',
      },
    },
  );
  io.stdout(`${rendered}\n`);
  return EXIT_OK;
}
