/**
 * build-and-tag as steps of its composite action (actions/build-and-tag/action.yml):
 *
 *  - plan (first step): reads and validates the inputs, computes the immutable tag and asks
 *    the registry whether it holds it. Held: outputs `exists=true`, `built=false`, the
 *    registry's digest and `ref`, and the job summary; the docker steps are skipped. Absent:
 *    `exists=false` and what the docker steps need (`tags`, `labels`, `registry`, …).
 *  - verify (last step, after docker/build-push-action pushed): reads the digest of the tag
 *    back from the registry, checks it is the one build-push-action reported, and sets
 *    `digest`, `ref`, `built=true` and the job summary.
 */
import * as core from '@actions/core';
import { ConfigurationError } from '../../core/errors.js';
import { parseImageRepository, type ImageReference } from '../../core/image-reference.js';
import { DEFAULT_DENIED_TAGS, validateDigest, validateTag } from '../../core/names.js';
import { renderTagFormat, utcDate } from '../../core/tag-format.js';
import type { ProxySettings } from '../../core/proxy.js';
import { USER_AGENT } from '../../core/version.js';
import type { RunnerContext } from '../../github/runner-context.js';
import { RegistryClient, type ManifestLookup } from '../../registry/client.js';
import { RegistryError } from '../../registry/errors.js';
import { booleanInput, listInput, optionalInput, requiredInput } from '../support/inputs.js';
import { describeAccess, readRegistryAccess, type RegistryAccess } from '../support/registry.js';
import { code, escapeHtml, writeJobSummary } from '../support/summary.js';

const IMAGE_EXPECTED = 'an image repository without tag or digest, e.g. ghcr.io/acme/web';

export interface BuildAndTagInputs {
  /** The repository as the user wrote it (`ghcr.io/acme/web`): what tags and `ref` are built on. */
  image: string;
  reference: ImageReference;
  tag: string;
  extraTags: string[];
  push: boolean;
  access: RegistryAccess;
  /** OCI labels for the build, `name=value`. */
  labels: string[];
}

export interface VerifyPushInputs {
  image: string;
  reference: ImageReference;
  tag: string;
  /** The digest docker/build-push-action reported. */
  digest: string;
  access: RegistryAccess;
}

function readImage(): { image: string; reference: ImageReference } {
  const image = requiredInput('image', IMAGE_EXPECTED);
  return { image, reference: parseImageRepository(image, 'image') };
}

/** `extra-tags`: comma- or newline-separated; `latest` only with `allow-mutable-extra-tags`. */
function readExtraTags(tag: string): string[] {
  const allowMutable = booleanInput('allow-mutable-extra-tags', false);
  const tags = listInput('extra-tags')
    .split(/[,\n]/)
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) =>
      validateTag(part, { input: 'extra-tags', denied: allowMutable ? [] : DEFAULT_DENIED_TAGS }),
    );
  return [...new Set(tags)].filter((extra) => extra !== tag);
}

export function readBuildAndTagInputs(context: RunnerContext, now: Date): BuildAndTagInputs {
  const { image, reference } = readImage();
  const sha = optionalInput('sha') || context.sha || '';
  const tag = renderTagFormat(optionalInput('tag-format'), {
    sha,
    runNumber: context.runNumber,
    date: utcDate(now),
    branch: context.branch,
  });
  const labels = [
    `org.opencontainers.image.revision=${sha.toLowerCase()}`,
    ...(context.repository
      ? [`org.opencontainers.image.source=${context.serverUrl}/${context.repository}`]
      : []),
    `org.opencontainers.image.created=${now.toISOString()}`,
    `org.opencontainers.image.version=${tag}`,
  ];
  return {
    image,
    reference,
    tag,
    extraTags: readExtraTags(tag),
    push: booleanInput('push', true),
    access: readRegistryAccess(context, reference),
    labels,
  };
}

export function readVerifyPushInputs(context: RunnerContext): VerifyPushInputs {
  const { image, reference } = readImage();
  const digest = optionalInput('digest');
  if (digest === '') {
    throw new ConfigurationError(
      'digest',
      undefined,
      'the digest docker/build-push-action reported (its `digest` output); it reports none when nothing was pushed',
    );
  }
  return {
    image,
    reference,
    tag: validateTag(requiredInput('tag', 'the tag the plan step computed'), { input: 'tag' }),
    digest: validateDigest(digest, 'digest'),
    access: readRegistryAccess(context, reference),
  };
}

async function lookup(
  reference: ImageReference,
  tag: string,
  access: RegistryAccess,
  proxy: ProxySettings,
): Promise<ManifestLookup> {
  const client = new RegistryClient(reference, {
    ...(access.credentials ? { credentials: access.credentials } : {}),
    userAgent: USER_AGENT,
    proxy,
  });
  try {
    return await client.lookup({ ...reference, tag });
  } finally {
    await client.close();
  }
}

function writeImageSummary(ref: string, built: boolean): Promise<void> {
  return writeJobSummary((summary) =>
    summary
      .addHeading('tagrelay: build-and-tag', 3)
      .addRaw(
        `<p>${code(ref)}: ${escapeHtml(
          built
            ? 'built and pushed; the registry serves the digest the build reported.'
            : 'reused: the registry already held this tag, so nothing was built.',
        )}</p>`,
        true,
      ),
  );
}

export async function buildAndTagStep(context: RunnerContext, inputs: BuildAndTagInputs): Promise<void> {
  const { image, reference, tag } = inputs;
  const found = await core.group(`Is ${image}:${tag} in the registry?`, async () => {
    core.info(`Asking ${describeAccess(reference, inputs.access)}`);
    const result = await lookup(reference, tag, inputs.access, context.proxy);
    core.info(
      result.found
        ? `Yes, as ${result.digest}: nothing to build.`
        : `No (${result.reason}): ${inputs.push ? 'building and pushing it' : 'building it (push: false)'}.`,
    );
    return result;
  });
  core.setOutput('image', image);
  core.setOutput('tag', tag);
  core.setOutput('exists', String(found.found));
  core.setOutput('built', String(!found.found));
  core.setOutput('registry', reference.registry);
  core.setOutput('login', String(inputs.access.credentials !== undefined));
  core.setOutput('registry-username', inputs.access.credentials?.username ?? '');
  core.setOutput('push', String(inputs.push));
  if (found.found) {
    const ref = `${image}:${tag}@${found.digest}`;
    core.setOutput('digest', found.digest);
    core.setOutput('ref', ref);
    core.notice(`Reused ${ref}`);
    await writeImageSummary(ref, false);
    return;
  }
  core.setOutput('digest', '');
  core.setOutput('ref', `${image}:${tag}`);
  core.setOutput('tags', [tag, ...inputs.extraTags].map((name) => `${image}:${name}`).join('\n'));
  core.setOutput('labels', inputs.labels.join('\n'));
}

export async function verifyPushStep(context: RunnerContext, inputs: VerifyPushInputs): Promise<void> {
  const { image, reference, tag, digest } = inputs;
  const found = await core.group(`Reading ${image}:${tag} back from the registry`, async () => {
    core.info(`Asking ${describeAccess(reference, inputs.access)}`);
    return lookup(reference, tag, inputs.access, context.proxy);
  });
  if (!found.found) {
    throw new RegistryError(
      reference.registry,
      `${image}:${tag} is not in registry ${reference.registry} after the push (${found.reason})`,
    );
  }
  if (found.digest !== digest) {
    throw new RegistryError(
      reference.registry,
      `registry ${reference.registry} serves ${image}:${tag} as ${found.digest}, but docker/build-push-action reported ${digest}: another push may have replaced the tag`,
    );
  }
  const ref = `${image}:${tag}@${digest}`;
  core.setOutput('digest', digest);
  core.setOutput('ref', ref);
  core.setOutput('built', 'true');
  core.notice(`Pushed ${ref}`);
  await writeImageSummary(ref, true);
}
