// Malformed image archives for `image load`: a small valid image (one layer) in docker-save and
// OCI form, then broken on purpose: truncated, bad gzip, wrong digests, broken or mistyped JSON,
// missing blobs, traversal names, huge tar headers, symlink loops.
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { buildTar, type RawEntry } from '../../helpers/tar-build.ts';

const sha = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

export function validImage(content = 'fuzz\n'): { layer: Buffer; config: Buffer; manifest: Buffer } {
  const layer = buildTar([
    { name: 'hello', data: content },
    { name: 'etc/', type: 'dir' },
  ]);
  const config = Buffer.from(
    JSON.stringify({
      architecture: process.arch === 'x64' ? 'amd64' : process.arch,
      os: 'linux',
      config: {},
      rootfs: { type: 'layers', diff_ids: [`sha256:${sha(layer)}`] },
    }),
  );
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: {
        mediaType: 'application/vnd.oci.image.config.v1+json',
        digest: `sha256:${sha(config)}`,
        size: config.length,
      },
      layers: [
        { mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: `sha256:${sha(layer)}`, size: layer.length },
      ],
    }),
  );
  return { layer, config, manifest };
}

const docker = (
  over: {
    manifest?: string;
    extra?: RawEntry[];
    layer?: Buffer;
    config?: Buffer;
    drop?: string;
    content?: string;
    tag?: string;
  } = {},
): Buffer => {
  const img = validImage(over.content);
  const entries: RawEntry[] = [
    {
      name: 'manifest.json',
      data:
        over.manifest ??
        JSON.stringify([{ Config: 'config.json', RepoTags: [over.tag ?? 'fuzz/img:1'], Layers: ['layer.tar'] }]),
    },
    { name: 'config.json', data: (over.config ?? img.config).toString('latin1') },
    { name: 'layer.tar', data: (over.layer ?? img.layer).toString('latin1') },
    ...(over.extra ?? []),
  ];
  return buildTar(entries.filter((e) => e.name !== over.drop));
};

const oci = (
  over: {
    index?: string;
    manifest?: string;
    drop?: 'config' | 'layer' | 'manifest';
    corrupt?: 'config' | 'layer';
    extra?: RawEntry[];
  } = {},
): Buffer => {
  const img = validImage();
  const manifest = over.manifest === undefined ? img.manifest : Buffer.from(over.manifest);
  const blob = (b: Buffer, what: 'config' | 'layer' | 'manifest', name = sha(b)): RawEntry[] =>
    over.drop === what
      ? []
      : [
          {
            name: `blobs/sha256/${name}`,
            data: (over.corrupt === what ? Buffer.concat([b, Buffer.from('x')]) : b).toString('latin1'),
          },
        ];
  const index =
    over.index ??
    JSON.stringify({
      schemaVersion: 2,
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          digest: `sha256:${sha(manifest)}`,
          size: manifest.length,
          annotations: { 'io.containerd.image.name': 'docker.io/fuzz/img:1' },
        },
      ],
    });
  return buildTar([
    { name: 'oci-layout', data: '{"imageLayoutVersion":"1.0.0"}' },
    { name: 'index.json', data: index },
    ...blob(manifest, 'manifest'),
    ...blob(img.config, 'config', sha(img.config)),
    ...blob(img.layer, 'layer', sha(img.layer)),
    ...(over.extra ?? []),
  ]);
};

/** A tar header claiming a size far beyond the data that follows (and one with a garbage size). */
function hugeHeader(sizeField: string): Buffer {
  const tar = docker();
  const h = Buffer.from(tar);
  h.write(sizeField.padEnd(12, '\0').slice(0, 12), 124, 12, 'latin1');
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of h.subarray(0, 512)) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'latin1');
  return h;
}

function paxHeader(len: number): Buffer {
  const record = `${len} path=${'a'.repeat(20)}\n`;
  return Buffer.concat([
    buildTar([{ name: 'PaxHeader', data: record }])
      .subarray(0, 1024)
      .map((b, i) => (i === 156 ? 0x78 : b)),
    docker(),
  ]);
}

/** The image every test store holds before a case runs (shares no blob with the others). */
export const baseArchive = (): Buffer => docker({ content: 'base\n', tag: 'fuzz/base:1' });

export const VALID_ARCHIVES: Record<string, () => Buffer> = {
  'docker save': () => docker(),
  oci: () => oci(),
  'oci gzip': () => gzipSync(oci()),
};

export const MALFORMED_ARCHIVES: Record<string, () => Buffer> = {
  'empty file': () => Buffer.alloc(0),
  zeros: () => Buffer.alloc(4096),
  'random bytes': () => Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) % 251)),
  'truncated in a header': () => docker().subarray(0, 300),
  'truncated in a member': () => docker().subarray(0, 1500),
  'truncated before the end blocks': () => {
    const t = docker();
    return t.subarray(0, t.length - 1024 - 100);
  },
  'truncated gzip': () => {
    const g = gzipSync(oci());
    return g.subarray(0, Math.floor(g.length / 2));
  },
  'gzip magic then garbage': () => Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0x00]), Buffer.alloc(200, 0x41)]),
  'gzip with a bad checksum': () => {
    const g = Buffer.from(gzipSync(oci()));
    g[g.length - 6]! ^= 0xff;
    return g;
  },
  'zstd magic then garbage': () => Buffer.concat([Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), Buffer.alloc(100, 7)]),
  'oci: layer blob with a wrong digest': () => oci({ corrupt: 'layer' }),
  'oci: config blob with a wrong digest': () => oci({ corrupt: 'config' }),
  'oci: missing layer blob': () => oci({ drop: 'layer' }),
  'oci: missing config blob': () => oci({ drop: 'config' }),
  'oci: missing manifest blob': () => oci({ drop: 'manifest' }),
  'oci: index.json broken': () => oci({ index: '{"manifests": [' }),
  'oci: index.json null': () => oci({ index: 'null' }),
  'oci: manifests not a list': () => oci({ index: '{"manifests": {"a": 1}}' }),
  'oci: digest a number': () => oci({ index: '{"manifests": [{"digest": 5, "size": 1}]}' }),
  'oci: digest not sha256': () => oci({ index: '{"manifests": [{"digest": "md5:abc", "size": 1}]}' }),
  'oci: digest traversal': () =>
    oci({ index: '{"manifests": [{"digest": "sha256:../../../../etc/passwd", "size": 1}]}' }),
  'oci: manifest broken json': () => oci({ manifest: '{"config": ' }),
  'oci: manifest wrong types': () => oci({ manifest: '{"schemaVersion": 2, "config": "x", "layers": 7}' }),
  'oci: manifest layers not descriptors': () =>
    oci({ manifest: '{"schemaVersion": 2, "config": {"digest": "sha256:00"}, "layers": [1, null]}' }),
  'oci: nested index loop': () =>
    oci({ manifest: '{"mediaType": "application/vnd.oci.image.index.v1+json", "manifests": []}' }),
  'docker: manifest.json broken': () => docker({ manifest: '[{"Config": "config.json",' }),
  'docker: manifest.json an object': () => docker({ manifest: '{"Config": "config.json"}' }),
  'docker: manifest.json [null]': () => docker({ manifest: '[null]' }),
  'docker: Config a number': () => docker({ manifest: '[{"Config": 5, "Layers": []}]' }),
  'docker: Layers a string': () => docker({ manifest: '[{"Config": "config.json", "Layers": "layer.tar"}]' }),
  'docker: RepoTags wrong type': () =>
    docker({ manifest: '[{"Config": "config.json", "RepoTags": "x", "Layers": ["layer.tar"]}]' }),
  'docker: missing layer': () => docker({ drop: 'layer.tar' }),
  'docker: missing config': () => docker({ drop: 'config.json' }),
  'docker: config broken json': () => docker({ config: Buffer.from('{"rootfs": ') }),
  'docker: config diff_ids wrong type': () => docker({ config: Buffer.from('{"rootfs": {"diff_ids": "x"}}') }),
  'docker: diff_id does not match the layer': () =>
    docker({
      config: Buffer.from(
        JSON.stringify({ os: 'linux', rootfs: { type: 'layers', diff_ids: [`sha256:${'0'.repeat(64)}`] } }),
      ),
    }),
  'docker: layer is not a tar': () => {
    const junk = Buffer.alloc(3000, 0x42);
    return docker({
      layer: junk,
      config: Buffer.from(
        JSON.stringify({ os: 'linux', rootfs: { type: 'layers', diff_ids: [`sha256:${sha(junk)}`] } }),
      ),
    });
  },
  'docker: traversal member names': () =>
    docker({
      manifest: '[{"Config": "../../../../etc/hostname", "Layers": ["/etc/passwd"]}]',
      extra: [
        { name: '../../escape', data: 'x' },
        { name: '/abs/file', data: 'y' },
      ],
    }),
  'docker: symlink loop': () =>
    docker({
      drop: 'manifest.json',
      extra: [
        { name: 'manifest.json', type: 'symlink', linkname: 'a.json' },
        { name: 'a.json', type: 'symlink', linkname: 'manifest.json' },
      ],
    }),
  'docker: manifest.json a symlink out': () =>
    docker({
      drop: 'manifest.json',
      extra: [{ name: 'manifest.json', type: 'symlink', linkname: '../../../../etc/passwd' }],
    }),
  'huge size in a header': () => hugeHeader('77777777777'),
  'garbage size in a header': () => hugeHeader('zz\0'),
  'huge pax record length': () => paxHeader(999_999_999),
  'neither layout': () => buildTar([{ name: 'hello.txt', data: 'hi' }]),
};
