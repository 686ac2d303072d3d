// A named volume → a PersistentVolumeClaim. One user: ReadWriteOnce; shared by several services:
// ReadWriteMany (their pods may land on different nodes). Size: 1Gi unless x-kube-size says.
import type { PersistentVolumeClaim } from 'kubernetes-types/core/v1.js';
import type { Project, VolumeConfig } from '../../project/model.ts';
import type { GenerateOptions, Notes } from '../options.ts';
import { commonLabels, kubeName, meta } from '../names.ts';

export function pvcFor(
  project: Project,
  key: string,
  vol: VolumeConfig,
  users: number,
  opts: GenerateOptions,
  notes: Notes,
): PersistentVolumeClaim {
  if (vol.driver !== undefined && vol.driver !== 'local')
    notes.notCarried(`volumes.${key}.driver`, 'the storage class provisions volumes');
  if (vol.driver_opts !== undefined)
    notes.notCarried(`volumes.${key}.driver_opts`, 'the storage class provisions volumes');
  const size = typeof vol.extensions?.['x-kube-size'] === 'string' ? vol.extensions['x-kube-size'] : '1Gi';
  const split = { ...commonLabels(project.name), 'app.kubernetes.io/component': 'volume' };
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: meta(kubeName(key), split, opts.namespace),
    spec: {
      accessModes: [users > 1 ? 'ReadWriteMany' : 'ReadWriteOnce'],
      resources: { requests: { storage: size } },
      ...(opts.storageClass !== undefined ? { storageClassName: opts.storageClass } : {}),
    },
  };
}
