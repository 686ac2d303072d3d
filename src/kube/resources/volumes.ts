// A service's storage → pod volumes + container mounts: named volumes → PVC claims, anonymous
// volumes → emptyDir, tmpfs → emptyDir in memory, secrets/configs → Secret/ConfigMap files,
// bind mounts → refused unless --allow-hostpath.
import { posix } from 'node:path';
import type { Volume, VolumeMount } from 'kubernetes-types/core/v1.js';
import { ConfigError } from '../../common/errors.ts';
import type { Project, ServiceConfig, ServiceFileRef } from '../../project/model.ts';
import type { GenerateOptions, Notes } from '../options.ts';
import { kubeName } from '../names.ts';
import { byteQuantity } from './quantities.ts';

export interface PodStorage {
  volumes: Volume[];
  mounts: VolumeMount[];
}

export function storageFor(project: Project, svc: ServiceConfig, opts: GenerateOptions, notes: Notes): PodStorage {
  const out: PodStorage = { volumes: [], mounts: [] };
  const add = (volume: Volume, mount: Omit<VolumeMount, 'name'>): void => {
    if (!out.volumes.some((v) => v.name === volume.name)) out.volumes.push(volume);
    out.mounts.push({ name: volume.name, ...mount });
  };
  svc.volumes.forEach((v, i) => {
    const path = `services.${svc.name}.volumes[${i}]`;
    const ro = v.read_only ? { readOnly: true } : {};
    if (v.type === 'volume' && v.source !== undefined) {
      const top = project.volumes[v.source];
      const claimName = kubeName(top?.external ? top.name : v.source);
      const sub = v.volume?.subpath !== undefined ? { subPath: v.volume.subpath } : {};
      if (v.volume?.nocopy) notes.notCarried(`${path}.volume.nocopy`, 'a new PVC is always empty');
      add({ name: `vol-${claimName}`, persistentVolumeClaim: { claimName } }, { mountPath: v.target, ...ro, ...sub });
    } else if (v.type === 'volume') {
      add({ name: `anon-${i}`, emptyDir: {} }, { mountPath: v.target, ...ro });
    } else if (v.type === 'tmpfs') {
      const size = v.tmpfs?.size !== undefined ? { sizeLimit: byteQuantity(v.tmpfs.size) } : {};
      if (v.tmpfs?.mode !== undefined) notes.notCarried(`${path}.tmpfs.mode`, 'emptyDir has no mode');
      add({ name: `tmpfs-${i}`, emptyDir: { medium: 'Memory', ...size } }, { mountPath: v.target });
    } else if (v.type === 'bind' && v.source !== undefined) {
      if (!opts.allowHostpath) {
        throw new ConfigError(
          `bind mount ${v.source} → ${v.target} cannot be exported: a cluster node has no such path ` +
            '(use a named volume, or --allow-hostpath to emit a hostPath volume)',
          { keyPath: path },
        );
      }
      add({ name: `host-${i}`, hostPath: { path: v.source } }, { mountPath: v.target, ...ro });
    } else {
      notes.notCarried(path, `volume type ${v.type} has no Kubernetes equivalent`);
    }
  });
  (svc.tmpfs ?? []).forEach((spec, i) => {
    const [target, ...optsList] = spec.split(':');
    const size = optsList.join(':').match(/size=(\d+)([kmg]?)/i);
    const mult = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[
      (size?.[2] ?? '').toLowerCase() as '' | 'k' | 'm' | 'g'
    ];
    const limit = size ? { sizeLimit: byteQuantity(Number(size[1]) * mult) } : {};
    add({ name: `tmpfs-list-${i}`, emptyDir: { medium: 'Memory', ...limit } }, { mountPath: target! });
  });
  if (svc.shm_size !== undefined) {
    add(
      { name: 'dshm', emptyDir: { medium: 'Memory', sizeLimit: byteQuantity(svc.shm_size) } },
      { mountPath: '/dev/shm' },
    );
  }
  fileRefs(project, svc, 'secrets', opts, notes, add);
  fileRefs(project, svc, 'configs', opts, notes, add);
  return out;
}

function fileRefs(
  project: Project,
  svc: ServiceConfig,
  kind: 'secrets' | 'configs',
  _opts: GenerateOptions,
  notes: Notes,
  add: (v: Volume, m: Omit<VolumeMount, 'name'>) => void,
): void {
  (svc[kind] ?? []).forEach((ref: ServiceFileRef, i) => {
    const top = project[kind][ref.source];
    const objectName = kubeName(top?.external ? top.name : ref.source);
    const key = fileKey(ref.source);
    if (ref.uid !== undefined || ref.gid !== undefined) {
      notes.notCarried(`services.${svc.name}.${kind}[${i}].uid`, 'mounted files belong to the pod fsGroup');
    }
    const item = { key, path: key, ...(ref.mode !== undefined ? { mode: ref.mode } : {}) };
    const target = posix.isAbsolute(ref.target)
      ? ref.target
      : posix.join(kind === 'secrets' ? '/run/secrets' : '/', ref.target);
    const volume: Volume =
      kind === 'secrets'
        ? { name: `secret-${objectName}`, secret: { secretName: objectName, items: [item] } }
        : { name: `config-${objectName}`, configMap: { name: objectName, items: [item] } };
    add(volume, { mountPath: target, subPath: key, readOnly: true });
  });
}

/** The data key holding a secret's or config's content: its Compose name, made a valid key. */
export function fileKey(name: string): string {
  return name.replace(/[^-._a-zA-Z0-9]/g, '-');
}
