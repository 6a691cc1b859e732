import { ConfigurationError, ReleaseFileError } from '../../src/core/errors.js';
import { thrownBy } from '../support/thrown.js';
import {
  DEFAULT_RELEASE_KEYS,
  editReleaseFile,
  readReleaseImage,
  type ReleaseEdit,
  type ReleaseKeys,
} from '../../src/core/release-file/edit.js';

const PATH = 'deploy/env/release-dev/shop.yaml';

const fileError = (fn: () => unknown) => thrownBy(ReleaseFileError, fn);

describe('DEFAULT_RELEASE_KEYS', () => {
  it('points at image.repository, image.tag, image.digest', () => {
    expect(DEFAULT_RELEASE_KEYS).toEqual({
      repository: ['image', 'repository'],
      tag: ['image', 'tag'],
      digest: ['image', 'digest'],
    });
  });
});

describe('editReleaseFile: only the tag scalar changes', () => {
  const cases: {
    name: string;
    input: string;
    tag: string;
    output: string;
    previousTag: string;
  }[] = [
    {
      name: 'plain scalar',
      input: 'image:\n  repository: ghcr.io/acme/shop\n  tag: sha-0123456789ab\n',
      tag: 'sha-ba9876543210',
      output: 'image:\n  repository: ghcr.io/acme/shop\n  tag: sha-ba9876543210\n',
      previousTag: 'sha-0123456789ab',
    },
    {
      name: 'comment on the same line and above',
      input:
        '# release layer: written by tagrelay\nimage:\n  # the tag\n  tag: v1   # bumped by CI\n  pullPolicy: IfNotPresent\n',
      tag: 'v2',
      output:
        '# release layer: written by tagrelay\nimage:\n  # the tag\n  tag: v2   # bumped by CI\n  pullPolicy: IfNotPresent\n',
      previousTag: 'v1',
    },
    {
      name: 'single quotes kept',
      input: "image:\n  tag: 'v1' # q\n",
      tag: 'v2',
      output: "image:\n  tag: 'v2' # q\n",
      previousTag: 'v1',
    },
    {
      name: 'double quotes kept',
      input: 'image:\n  tag: "v1"\n',
      tag: 'v2',
      output: 'image:\n  tag: "v2"\n',
      previousTag: 'v1',
    },
    {
      name: 'number-like tag in double quotes stays double-quoted',
      input: 'image:\n  tag: "1.9"\n',
      tag: '1.10',
      output: 'image:\n  tag: "1.10"\n',
      previousTag: '1.9',
    },
    {
      name: 'number-like tag in single quotes stays single-quoted',
      input: "image:\n  tag: 'v1'\n",
      tag: '1.10',
      output: "image:\n  tag: '1.10'\n",
      previousTag: 'v1',
    },
    {
      name: 'CRLF line ends',
      input: 'image:\r\n  repository: r\r\n  tag: v1 # c\r\n\r\nreplicas: 2\r\n',
      tag: 'v2',
      output: 'image:\r\n  repository: r\r\n  tag: v2 # c\r\n\r\nreplicas: 2\r\n',
      previousTag: 'v1',
    },
    {
      name: 'flow map',
      input: 'image: {repository: r, tag: v1}   # flow\n',
      tag: 'v2',
      output: 'image: {repository: r, tag: v2}   # flow\n',
      previousTag: 'v1',
    },
    {
      name: 'flow map spread over lines',
      input: 'image: {\n  repository: r,\n  tag: "v1",\n}\n',
      tag: 'v2',
      output: 'image: {\n  repository: r,\n  tag: "v2",\n}\n',
      previousTag: 'v1',
    },
    {
      name: 'anchors and aliases elsewhere in the file',
      input: 'defaults: &d {a: 1}\nimage:\n  tag: v1\nother: *d\nmerged:\n  <<: *d\n  b: 2\n',
      tag: 'v2',
      output: 'defaults: &d {a: 1}\nimage:\n  tag: v2\nother: *d\nmerged:\n  <<: *d\n  b: 2\n',
      previousTag: 'v1',
    },
    {
      name: 'unreferenced anchor and explicit !!str on the tag itself',
      input: 'image:\n  tag: &t !!str v1\n',
      tag: 'v2',
      output: 'image:\n  tag: &t !!str v2\n',
      previousTag: 'v1',
    },
    {
      name: '--- start and ... end',
      input: '%YAML 1.2\n---\nimage:\n  tag: v1\n...\n',
      tag: 'v2',
      output: '%YAML 1.2\n---\nimage:\n  tag: v2\n...\n',
      previousTag: 'v1',
    },
    {
      name: 'non-ASCII (Cyrillic) comments',
      input: '# Релизный слой: не править руками\nimage:\n  tag: v1 # тег образа — ёжик\n',
      tag: 'v2',
      output: '# Релизный слой: не править руками\nimage:\n  tag: v2 # тег образа — ёжик\n',
      previousTag: 'v1',
    },
    {
      name: 'no trailing newline',
      input: 'image:\n  tag: v1',
      tag: 'v2',
      output: 'image:\n  tag: v2',
      previousTag: 'v1',
    },
    {
      name: 'tag value on the next line',
      input: 'image:\n  tag:\n    v1\n',
      tag: 'v2',
      output: 'image:\n  tag:\n    v2\n',
      previousTag: 'v1',
    },
    {
      name: 'quoted keys',
      input: '"image":\n  \'tag\': v1\n',
      tag: 'v2',
      output: '"image":\n  \'tag\': v2\n',
      previousTag: 'v1',
    },
    {
      name: 'longer tag than before, other keys after it',
      input: 'image:\n  tag: a\n  pullPolicy: Always\nresources: {}\n',
      tag: 'release_2026-11-23.1',
      output: 'image:\n  tag: release_2026-11-23.1\n  pullPolicy: Always\nresources: {}\n',
      previousTag: 'a',
    },
  ];

  it.each(cases)('$name', ({ input, tag, output, previousTag }) => {
    const result = editReleaseFile(PATH, input, { tag });
    expect(result.text).toBe(output);
    expect(result.changed).toBe(true);
    expect(result.previous.tag).toBe(previousTag);
    expect(readReleaseImage(PATH, result.text).tag).toBe(tag);
    // Round trip: putting the old tag back gives the input, byte for byte.
    expect(editReleaseFile(PATH, result.text, { tag: previousTag }).text).toBe(input);
  });

  it('returns a number-looking previous tag as written; writing it back quotes it', () => {
    const result = editReleaseFile(PATH, 'image:\n  tag: 1.10\n', {
      tag: 'sha-0123456789ab',
    });
    expect(result).toEqual({
      text: 'image:\n  tag: sha-0123456789ab\n',
      changed: true,
      previous: { tag: '1.10' },
    });
    expect(editReleaseFile(PATH, result.text, { tag: '1.10' }).text).toBe('image:\n  tag: "1.10"\n');
  });

  it('CRLF: every other \\r\\n is kept', () => {
    const input = 'image:\r\n  tag: v1\r\n  pullPolicy: Always\r\n# end\r\n';
    const { text } = editReleaseFile(PATH, input, { tag: 'v2' });
    expect(text.split('\r\n')).toHaveLength(input.split('\r\n').length);
    expect(text.replace('v2', 'v1')).toBe(input);
  });
});

describe('editReleaseFile: a plain scalar stays plain only when it re-reads as the same string', () => {
  it.each([
    ['1.10', '"1.10"'],
    ['1e3', '"1e3"'],
    ['true', '"true"'],
    ['yes', '"yes"'],
    ['y', '"y"'],
    ['0x1F', '"0x1F"'],
    ['010', '"010"'],
    ['1_000', '"1_000"'],
    ['0b101', '"0b101"'],
    ['2024-01-01', '"2024-01-01"'],
    ['1:20', '"1:20"'],
    ['123', '"123"'],
    ['null', '"null"'],
    ['NaN', '"NaN"'],
    ['-1', '"-1"'],
    ['v1.10', 'v1.10'],
    ['1.2.3', '1.2.3'],
    ['sha-0123456789ab', 'sha-0123456789ab'],
    ['_x', '_x'],
    ['1.10-alpine', '1.10-alpine'],
  ])('%s is written as %s', (tag, written) => {
    const input = 'image:\n  tag: old # keep\n';
    const result = editReleaseFile(PATH, input, { tag });
    expect(result.text).toBe(`image:\n  tag: ${written} # keep\n`);
    expect(readReleaseImage(PATH, result.text).tag).toBe(tag);
  });

  it('quotes a number-like tag in a flow map too', () => {
    expect(editReleaseFile(PATH, 'image: {tag: v1}\n', { tag: '1.10' }).text).toBe('image: {tag: "1.10"}\n');
  });

  it('single-quoted value escapes a quote by doubling it', () => {
    expect(
      editReleaseFile(PATH, "image:\n  repository: 'r'\n  tag: t\n", {
        tag: 't',
        repository: "o'r",
      }).text,
    ).toBe("image:\n  repository: 'o''r'\n  tag: t\n");
  });
});

describe('editReleaseFile: idempotence', () => {
  it.each([
    'image:\n  tag: v2 # c\n',
    'image:\n  tag: "v2"\n',
    "image: {tag: 'v2'}",
    'image:\r\n  repository: r\r\n  tag: v2\r\n  digest: sha256:abc\r\n',
  ])('same values → changed false and the very same string (%j)', (input) => {
    const result = editReleaseFile(PATH, input, { tag: 'v2' });
    expect(result.changed).toBe(false);
    expect(result.text).toBe(input);
  });

  it('a plain 1.10 asked for 1.10 is left alone', () => {
    const input = 'image:\n  tag: 1.10\n';
    expect(editReleaseFile(PATH, input, { tag: '1.10' })).toEqual({
      text: input,
      changed: false,
      previous: { tag: '1.10' },
    });
  });

  it('unchanged repository and digest are not rewritten', () => {
    const input = 'image:\n  repository: r\n  tag: v1\n  digest: "sha256:aa"\n';
    const result = editReleaseFile(PATH, input, {
      tag: 'v1',
      repository: 'r',
      digest: 'sha256:aa',
    });
    expect(result).toEqual({
      text: input,
      changed: false,
      previous: { repository: 'r', tag: 'v1', digest: 'sha256:aa' },
    });
  });
});

describe('editReleaseFile: repository and digest', () => {
  const DIGEST = 'sha256:' + 'a'.repeat(64);
  const cases: {
    name: string;
    input: string;
    edit: ReleaseEdit;
    output: string;
  }[] = [
    {
      name: 'updates repository and digest in place',
      input: 'image:\n  repository: ghcr.io/acme/old # repo\n  tag: v1\n  digest: sha256:00\n',
      edit: { tag: 'v2', repository: 'ghcr.io/acme/shop', digest: DIGEST },
      output: `image:\n  repository: ghcr.io/acme/shop # repo\n  tag: v2\n  digest: ${DIGEST}\n`,
    },
    {
      name: 'inserts a missing digest after the tag (block)',
      input: 'image:\n  repository: r\n  tag: v1 # t\n  pullPolicy: Always\n',
      edit: { tag: 'v2', digest: DIGEST },
      output: `image:\n  repository: r\n  tag: v2 # t\n  digest: ${DIGEST}\n  pullPolicy: Always\n`,
    },
    {
      name: 'inserts with the CRLF line end',
      input: 'image:\r\n    tag: v1\r\nreplicas: 1\r\n',
      edit: { tag: 'v2', digest: DIGEST },
      output: `image:\r\n    tag: v2\r\n    digest: ${DIGEST}\r\nreplicas: 1\r\n`,
    },
    {
      name: 'inserts at the end of a file without a trailing newline',
      input: 'image:\n  tag: v1 # last',
      edit: { tag: 'v1', digest: DIGEST },
      output: `image:\n  tag: v1 # last\n  digest: ${DIGEST}`,
    },
    {
      name: 'inserts a missing digest after the tag (flow, quoted because of the colon)',
      input: 'image: {repository: r, tag: v1}\n',
      edit: { tag: 'v2', digest: DIGEST },
      output: `image: {repository: r, tag: v2, digest: "${DIGEST}"}\n`,
    },
    {
      name: 'inserts missing repository and digest after the tag, repository first',
      input: 'image:\n  tag: v1\n',
      edit: { tag: 'v1', repository: 'ghcr.io/acme/shop', digest: DIGEST },
      output: `image:\n  tag: v1\n  repository: ghcr.io/acme/shop\n  digest: ${DIGEST}\n`,
    },
    {
      name: 'inserts missing repository in a flow map',
      input: 'image: {tag: v1, pullPolicy: Always}\n',
      edit: { tag: 'v1', repository: 'ghcr.io/acme/shop' },
      output: 'image: {tag: v1, repository: ghcr.io/acme/shop, pullPolicy: Always}\n',
    },
    {
      name: 'fills an empty digest after its colon, keeping the comment',
      input: 'image:\n  tag: v1\n  digest: # set by CI\n',
      edit: { tag: 'v1', digest: DIGEST },
      output: `image:\n  tag: v1\n  digest: ${DIGEST} # set by CI\n`,
    },
    {
      name: 'replaces a null digest',
      input: 'image:\n  tag: v1\n  digest: ~\n',
      edit: { tag: 'v1', digest: DIGEST },
      output: `image:\n  tag: v1\n  digest: ${DIGEST}\n`,
    },
    {
      name: 'fills an empty quoted digest in its quotes',
      input: "image:\n  tag: v1\n  digest: ''\n",
      edit: { tag: 'v1', digest: DIGEST },
      output: `image:\n  tag: v1\n  digest: '${DIGEST}'\n`,
    },
    {
      name: 'absent digest and none requested: left alone',
      input: 'image:\n  tag: v1\n',
      edit: { tag: 'v2' },
      output: 'image:\n  tag: v2\n',
    },
  ];

  it.each(cases)('$name', ({ input, edit, output }) => {
    const result = editReleaseFile(PATH, input, edit);
    expect(result.text).toBe(output);
    expect(result.changed).toBe(true);
    const read = readReleaseImage(PATH, result.text);
    expect(read.tag).toBe(edit.tag);
    if (edit.digest !== undefined) expect(read.digest).toBe(edit.digest);
    if (edit.repository !== undefined) expect(read.repository).toBe(edit.repository);
  });

  it('returns the previous values', () => {
    const result = editReleaseFile(PATH, 'image:\n  repository: r\n  tag: v1\n  digest: ""\n', {
      tag: 'v2',
      digest: DIGEST,
    });
    expect(result.previous).toEqual({ repository: 'r', tag: 'v1' });
  });

  it('refuses to add a key whose parent is not the tag map', () => {
    const keys: ReleaseKeys = {
      repository: ['registry', 'repo'],
      tag: ['image', 'tag'],
      digest: ['image', 'digest'],
    };
    const error = fileError(() =>
      editReleaseFile(PATH, 'image:\n  tag: v1\n', { tag: 'v1', repository: 'r' }, keys),
    );
    expect(error.message).toBe(
      `Release file ${PATH} has no key registry; tagrelay adds a missing repository only next to image.tag, so add registry.repo by hand.`,
    );
  });

  it('refuses an empty tag in the edit', () => {
    expect(() => editReleaseFile(PATH, 'image:\n  tag: v1\n', { tag: '' })).toThrow(ConfigurationError);
  });
});

describe('custom keys', () => {
  const keys: ReleaseKeys = {
    repository: ['app', 'image', 'repo'],
    tag: ['app', 'image', 'version'],
    digest: ['app', 'image', 'sha'],
  };
  it('reads and edits deeper paths', () => {
    const input = 'app:\n  image:\n    repo: r\n    version: v1\n';
    expect(readReleaseImage(PATH, input, keys)).toEqual({
      repository: 'r',
      tag: 'v1',
    });
    expect(editReleaseFile(PATH, input, { tag: 'v2', digest: 'sha256:ab' }, keys).text).toBe(
      'app:\n  image:\n    repo: r\n    version: v2\n    sha: sha256:ab\n',
    );
  });
});

describe('readReleaseImage', () => {
  it('returns the values as strings as written', () => {
    expect(
      readReleaseImage(PATH, 'image:\n  repository: "ghcr.io/a/b"\n  tag: 1.10\n  digest: \'sha256:ab\'\n'),
    ).toEqual({
      repository: 'ghcr.io/a/b',
      tag: '1.10',
      digest: 'sha256:ab',
    });
  });

  it('leaves absent repository and digest undefined', () => {
    const values = readReleaseImage(PATH, 'image:\n  tag: v1\n  digest:\n');
    expect(values).toEqual({ tag: 'v1' });
    expect('digest' in values).toBe(false);
  });
});

describe('errors', () => {
  const cases: {
    name: string;
    input: string;
    message: string;
    line: number | undefined;
  }[] = [
    {
      name: 'empty file',
      input: '',
      message: 'is empty: expected a mapping with an image tag',
      line: undefined,
    },
    {
      name: 'whitespace only',
      input: '\n  \n',
      message: 'is empty: expected a mapping with an image tag',
      line: undefined,
    },
    {
      name: 'comments only',
      input: '# nothing here\n',
      message: 'is empty (it holds only comments): expected a mapping with an image tag',
      line: undefined,
    },
    {
      name: 'missing tag key',
      input: 'image:\n  repository: r\n',
      message: 'has no key image.tag (line 1)',
      line: 1,
    },
    {
      name: 'missing image key',
      input: 'replicas: 1\n',
      message: 'has no key image (needed for image.tag)',
      line: undefined,
    },
    {
      name: 'missing tag next to a merge key',
      input: 'base: &b {tag: v1}\nimage:\n  <<: *b\n',
      message:
        'has no key image.tag (a value inherited through a "<<" merge key cannot be edited in place; write the key out) (line 2)',
      line: 2,
    },
    {
      name: 'alias as the image map',
      input: 'base: &base\n  tag: v1\nimage: *base\n',
      message:
        'has an alias (*base) at image; tagrelay does not edit through aliases because the change would also apply where &base is defined: write image out in full (line 3)',
      line: 3,
    },
    {
      name: 'alias as the tag',
      input: 'version: &t v1\nimage:\n  tag: *t\n',
      message:
        'has an alias (*t) at image.tag; tagrelay does not edit through aliases because the change would also apply where &t is defined: write image.tag out in full (line 3)',
      line: 3,
    },
    {
      name: 'several documents',
      input: 'image:\n  tag: v1\n---\nimage:\n  tag: v2\n',
      message:
        'holds 2 YAML documents; a release file must hold exactly one (remove the extra "---" separator) (line 3)',
      line: 3,
    },
    {
      name: 'invalid YAML',
      input: 'image:\n  tag: [v1\n',
      message: expect.stringMatching(/^is not valid YAML: .+ at line \d+, column \d+$/) as unknown as string,
      line: expect.any(Number) as unknown as number,
    },
    {
      name: 'duplicate keys',
      input: 'image:\n  tag: v1\n  tag: v2\n',
      message: 'is not valid YAML: Map keys must be unique at line 3, column 3',
      line: 3,
    },
    {
      name: 'tag is a mapping',
      input: 'image:\n  tag:\n    name: v1\n',
      message: 'has a mapping at image.tag where a single value is expected (line 2)',
      line: 2,
    },
    {
      name: 'tag is a sequence',
      input: 'image:\n  tag: [v1, v2]\n',
      message: 'has a sequence at image.tag where a single value is expected (line 2)',
      line: 2,
    },
    {
      name: 'tag is a block scalar',
      input: 'image:\n  tag: |\n    v1\n',
      message: 'has a block scalar (| or >) at image.tag; write the value on one line after the key (line 2)',
      line: 2,
    },
    {
      name: 'tag with an explicit non-string YAML tag',
      input: 'image:\n  tag: !!int 5\n',
      message:
        'has an explicit YAML tag tag:yaml.org,2002:int on image.tag; remove it so the value is a plain string (line 2)',
      line: 2,
    },
    {
      name: 'empty tag',
      input: 'image:\n  tag:\n',
      message: 'has an empty value at image.tag; expected an image tag (line 2)',
      line: 2,
    },
    {
      name: 'null tag',
      input: 'image:\n  tag: null\n',
      message: 'has an empty value at image.tag; expected an image tag (line 2)',
      line: 2,
    },
    {
      name: 'empty quoted tag',
      input: 'image:\n  tag: ""\n',
      message: 'has an empty value at image.tag; expected an image tag (line 2)',
      line: 2,
    },
    {
      name: 'image is a string',
      input: 'image: "x"\n',
      message: 'has the value "x" at image where a mapping holding image.tag is expected (line 1)',
      line: 1,
    },
    {
      name: 'image is empty',
      input: 'image:\n',
      message: 'has an empty value at image where a mapping holding image.tag is expected (line 1)',
      line: 1,
    },
    {
      name: 'top level is a sequence',
      input: '- image\n',
      message: 'does not hold a mapping at the top level (found a sequence) (line 1)',
      line: 1,
    },
    {
      name: 'non-map repository path is refused even when only reading',
      input: 'image:\n  tag: v1\n  repository: [a]\n',
      message: 'has a sequence at image.repository where a single value is expected (line 3)',
      line: 3,
    },
  ];

  it.each(cases)('$name', ({ input, message, line }) => {
    for (const run of [
      () => readReleaseImage(PATH, input),
      () => editReleaseFile(PATH, input, { tag: 'v9' }),
    ]) {
      const error = fileError(run);
      expect(error.path).toBe(PATH);
      expect(error.reason).toEqual(message);
      expect(error.line).toEqual(line);
      expect(error.message.startsWith(`Release file ${PATH} `)).toBe(true);
    }
  });

  it('refuses to edit through an anchor an alias refers to', () => {
    const input = 'image: &img\n  tag: v1\nsidecar:\n  image: *img\n';
    expect(readReleaseImage(PATH, input)).toEqual({ tag: 'v1' });
    const error = fileError(() => editReleaseFile(PATH, input, { tag: 'v2' }));
    expect(error.reason).toBe(
      'has anchor &img on image, which an alias *img refers to; editing image.tag would also change the aliased place, so write the values out in full (line 1)',
    );
    expect(error.line).toBe(1);
    // Nothing would change: no refusal.
    expect(editReleaseFile(PATH, input, { tag: 'v1' }).changed).toBe(false);
  });

  it('refuses to edit a tag scalar whose anchor is referenced', () => {
    const input = 'image:\n  tag: &t v1\nother: *t\n';
    expect(fileError(() => editReleaseFile(PATH, input, { tag: 'v2' })).reason).toMatch(
      /^has anchor &t on image\.tag, /,
    );
  });
});

describe('round trip on a realistic file', () => {
  const REALISTIC = [
    '# yaml-language-server: $schema=../../schemas/release.json',
    '# ─────────────────────────────────────────────────────────────',
    '# Release layer for shop (dev). Written by tagrelay — only the',
    '# image block changes here; env settings live in deploy/env/dev.',
    '# Комментарий: не редактировать вручную.',
    '# ─────────────────────────────────────────────────────────────',
    '---',
    'x-defaults: &defaults',
    '  pullPolicy: IfNotPresent   # same as the chart default',
    '  labels: {team: shop, tier: "web"}',
    '',
    'image:',
    '  # where the image lives',
    "  repository: 'ghcr.io/acme/shop'",
    '',
    '  # the tag tagrelay moves; promoted from dev to prod',
    '  tag: "sha-0123456789ab"      # set by bump-release-dev',
    '  digest: sha256:0000000000000000000000000000000000000000000000000000000000000000',
    '  pullPolicy: Always',
    '',
    'podAnnotations:',
    '  checksum/config: "abc"   # unrelated',
    '  note: >-',
    '    a folded',
    '    block scalar',
    '',
    'sidecars:',
    '  - name: proxy',
    '    image: {repository: envoyproxy/envoy, tag: v1.30.1}  # not ours',
    '    <<: *defaults',
    '',
    'list: [1, 2.50, 010, "x"]',
    'emptyMap: {}',
    'nothing: ~',
    '...',
    '# trailing comment after the document end',
  ].join('\n');

  it('changes only the tag, and changing it back restores every byte', () => {
    const bumped = editReleaseFile(PATH, REALISTIC, {
      tag: 'sha-ba9876543210',
    });
    expect(bumped.changed).toBe(true);
    expect(bumped.previous).toEqual({
      repository: 'ghcr.io/acme/shop',
      tag: 'sha-0123456789ab',
      digest: 'sha256:' + '0'.repeat(64),
    });
    expect(bumped.text).toBe(REALISTIC.replace('"sha-0123456789ab"', '"sha-ba9876543210"'));
    expect(editReleaseFile(PATH, bumped.text, { tag: 'sha-0123456789ab' }).text).toBe(REALISTIC);
  });

  it('same with CRLF line ends', () => {
    const crlf = REALISTIC.replace(/\n/g, '\r\n');
    const bumped = editReleaseFile(PATH, crlf, { tag: '1.10' });
    expect(bumped.text).toBe(crlf.replace('"sha-0123456789ab"', '"1.10"'));
    expect(editReleaseFile(PATH, bumped.text, { tag: 'sha-0123456789ab' }).text).toBe(crlf);
  });

  it('updates repository, tag and digest together and back again', () => {
    const digest = 'sha256:' + 'f'.repeat(64);
    const bumped = editReleaseFile(PATH, REALISTIC, {
      tag: 'v2',
      repository: 'ghcr.io/acme/shop2',
      digest,
    });
    expect(bumped.text).toBe(
      REALISTIC.replace("'ghcr.io/acme/shop'", "'ghcr.io/acme/shop2'")
        .replace('"sha-0123456789ab"', '"v2"')
        .replace('sha256:' + '0'.repeat(64), digest),
    );
    const back = editReleaseFile(PATH, bumped.text, {
      tag: 'sha-0123456789ab',
      repository: 'ghcr.io/acme/shop',
      digest: 'sha256:' + '0'.repeat(64),
    });
    expect(back.text).toBe(REALISTIC);
  });
});
