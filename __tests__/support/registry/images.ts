/**
 * Test images pushed with raw distribution API calls: a one-file gzipped tar layer, an
 * image config, and a manifest (OCI or Docker v2) or an OCI index over one, stored under a
 * tag. Manifests are serialised with an odd indentation, so a client that re-serialised
 * JSON instead of hashing the served bytes would get a different digest.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { request } from 'undici';

export type ImageKind = 'oci-manifest' | 'oci-index' | 'docker-manifest';

export interface PushedImage {
  /** The manifest stored under the tag: its exact bytes, digest and media type. */
  digest: string;
  mediaType: string;
  manifest: Buffer;
}

export interface PushTarget {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Authorization header for pull+push on `path`, if the registry wants one. */
  authorization(path: string): string | undefined;
}

const sha256 = (data: Buffer) => `sha256:${createHash('sha256').update(data).digest('hex')}`;

/** A ustar archive of one regular file. */
function tar(name: string, content: Buffer): Buffer {
  const header = Buffer.alloc(512);
  const field = (offset: number, length: number, value: string) =>
    header.write(value, offset, length, 'ascii');
  field(0, 100, name);
  field(100, 8, '0000644\0');
  field(108, 8, '0000000\0');
  field(116, 8, '0000000\0');
  field(124, 12, `${content.length.toString(8).padStart(11, '0')}\0`);
  field(136, 12, '00000000000\0');
  field(148, 8, '        ');
  field(156, 1, '0');
  field(257, 8, 'ustar\x0000');
  const checksum = header.reduce((sum, byte) => sum + byte, 0);
  field(148, 8, `${checksum.toString(8).padStart(6, '0')}\0 `);
  const padding = Buffer.alloc((512 - (content.length % 512)) % 512);
  return Buffer.concat([header, content, padding, Buffer.alloc(1024)]);
}

async function call(
  target: PushTarget,
  path: string,
  method: 'POST' | 'PUT',
  url: string,
  body: Buffer | undefined,
  contentType: string,
): Promise<{ status: number; location: string | undefined }> {
  const authorization = target.authorization(path);
  const response = await request(new URL(url, target.url), {
    method,
    headers: {
      'content-type': contentType,
      ...(body ? { 'content-length': String(body.length) } : { 'content-length': '0' }),
      ...(authorization ? { authorization } : {}),
    },
    ...(body ? { body } : {}),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.body.text();
  if (response.statusCode >= 300) throw new Error(`${method} ${url}: HTTP ${response.statusCode} ${text}`);
  const location = response.headers.location;
  return { status: response.statusCode, location: Array.isArray(location) ? location[0] : location };
}

async function pushBlob(target: PushTarget, path: string, blob: Buffer): Promise<string> {
  const digest = sha256(blob);
  const started = await call(
    target,
    path,
    'POST',
    `/v2/${path}/blobs/uploads/`,
    undefined,
    'application/octet-stream',
  );
  if (!started.location) throw new Error('blob upload started without a Location');
  const location = new URL(started.location, target.url);
  location.searchParams.set('digest', digest);
  await call(target, path, 'PUT', location.toString(), blob, 'application/octet-stream');
  return digest;
}

async function pushManifest(
  target: PushTarget,
  path: string,
  reference: string,
  manifest: object,
  mediaType: string,
): Promise<PushedImage> {
  const bytes = Buffer.from(`${JSON.stringify(manifest, null, 3)}\n`);
  await call(target, path, 'PUT', `/v2/${path}/manifests/${reference}`, bytes, mediaType);
  return { digest: sha256(bytes), mediaType, manifest: bytes };
}

/**
 * Pushes an image whose content is unique to `path:<first tag>` and stores its manifest (or an
 * index over it) under every tag given.
 */
export async function pushImage(
  target: PushTarget,
  path: string,
  tags: string | readonly string[],
  kind: ImageKind = 'oci-manifest',
): Promise<PushedImage> {
  const [tag, ...more] = typeof tags === 'string' ? [tags] : tags;
  if (tag === undefined) throw new Error('pushImage needs a tag');
  const pushed = await pushOne(target, path, tag, kind);
  // More tags name the very same manifest, as a build pushing several tags does.
  for (const extra of more) await pushManifestBytes(target, path, extra, pushed);
  return pushed;
}

async function pushManifestBytes(target: PushTarget, path: string, tag: string, image: PushedImage) {
  await call(target, path, 'PUT', `/v2/${path}/manifests/${tag}`, image.manifest, image.mediaType);
}

async function pushOne(target: PushTarget, path: string, tag: string, kind: ImageKind): Promise<PushedImage> {
  const docker = kind === 'docker-manifest';
  const content = tar('hello.txt', Buffer.from(`${path}:${tag}\n`));
  const layer = gzipSync(content);
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: { Labels: { 'org.opencontainers.image.version': tag } },
      rootfs: { type: 'layers', diff_ids: [sha256(content)] },
    }),
  );
  const [layerDigest, configDigest] = [
    await pushBlob(target, path, layer),
    await pushBlob(target, path, config),
  ];
  const manifestType = docker
    ? 'application/vnd.docker.distribution.manifest.v2+json'
    : 'application/vnd.oci.image.manifest.v1+json';
  const manifest = {
    schemaVersion: 2,
    mediaType: manifestType,
    config: {
      mediaType: docker
        ? 'application/vnd.docker.container.image.v1+json'
        : 'application/vnd.oci.image.config.v1+json',
      digest: configDigest,
      size: config.length,
    },
    layers: [
      {
        mediaType: docker
          ? 'application/vnd.docker.image.rootfs.diff.tar.gzip'
          : 'application/vnd.oci.image.layer.v1.tar+gzip',
        digest: layerDigest,
        size: layer.length,
      },
    ],
  };
  if (kind !== 'oci-index') return pushManifest(target, path, tag, manifest, manifestType);

  const child = await pushManifest(
    target,
    path,
    sha256(Buffer.from(`${JSON.stringify(manifest, null, 3)}\n`)),
    manifest,
    manifestType,
  );
  const indexType = 'application/vnd.oci.image.index.v1+json';
  return pushManifest(
    target,
    path,
    tag,
    {
      schemaVersion: 2,
      mediaType: indexType,
      manifests: [
        {
          mediaType: manifestType,
          digest: child.digest,
          size: child.manifest.length,
          platform: { architecture: 'amd64', os: 'linux' },
        },
      ],
    },
    indexType,
  );
}
