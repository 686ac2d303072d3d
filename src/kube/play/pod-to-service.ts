// One pod template → Compose services: the first container keeps the workload's name, the others
// join its network namespace (network_mode service:NAME), as containers of one pod share it.
import type { Container, PodSpec, Probe, Volume, VolumeMount } from 'kubernetes-types/core/v1.js';

export type Doc = Record<string, unknown>;

// Kubernetes turns `$$` into `$` in command, args and env; the Compose document then doubles every
// `$` so interpolation leaves the value as the process must see it.
const fromKube = (s: string): string => s.replaceAll('$$', () => '$').replaceAll('$', () => '$$');
const compose = (s: string): string => s.replaceAll('$', () => '$$');

export interface PodContext {
  readonly name: string;
  readonly spec: PodSpec;
  readonly labels: Readonly<Record<string, string>>;
  readonly replicas: number;
  readonly restart: string;
  readonly notes: string[];
}

export function podServices(ctx: PodContext, networks: readonly string[]): Record<string, Doc> {
  const out: Record<string, Doc> = {};
  const deps: Record<string, Doc> = {};
  for (const init of ctx.spec.initContainers ?? []) {
    const m = init.name.match(/^wait-for-(.+)$/);
    if (m) deps[m[1]!] = { condition: 'service_healthy' };
    else ctx.notes.push(`${ctx.name}: init container ${init.name} is not run`);
  }
  ctx.spec.containers.forEach((c, i) => {
    const name = i === 0 ? ctx.name : `${ctx.name}-${c.name}`;
    const svc = containerService(c, ctx);
    if (i === 0) {
      svc['networks'] = networks.length ? [...networks] : ['default'];
      if (Object.keys(deps).length) svc['depends_on'] = deps;
      if (ctx.replicas !== 1) svc['deploy'] = { replicas: ctx.replicas };
      if (ctx.spec.shareProcessNamespace) svc['init'] = true;
      if (ctx.spec.hostname) svc['hostname'] = ctx.spec.hostname;
    } else {
      svc['network_mode'] = `service:${ctx.name}`;
      svc['depends_on'] = { [ctx.name]: { condition: 'service_started' } };
    }
    svc['restart'] = ctx.restart;
    Object.assign(svc, storage(c.volumeMounts ?? [], ctx.spec.volumes ?? [], ctx));
    out[name] = svc;
  });
  return out;
}

function containerService(c: Container, ctx: PodContext): Doc {
  const svc: Doc = { image: c.image };
  if (c.command) svc['entrypoint'] = c.command.map(fromKube);
  if (c.args) svc['command'] = c.args.map(fromKube);
  const env: Record<string, string> = {};
  for (const e of c.env ?? []) {
    if (e.value !== undefined) env[e.name] = fromKube(e.value);
    else ctx.notes.push(`${ctx.name}: env ${e.name} (valueFrom) is not set`);
  }
  if (Object.keys(env).length) svc['environment'] = env;
  if (c.workingDir) svc['working_dir'] = c.workingDir;
  const sc = c.securityContext;
  if (sc?.runAsUser !== undefined)
    svc['user'] = sc.runAsGroup !== undefined ? `${sc.runAsUser}:${sc.runAsGroup}` : String(sc.runAsUser);
  if (sc?.readOnlyRootFilesystem) svc['read_only'] = true;
  if (sc?.capabilities?.add) svc['cap_add'] = [...sc.capabilities.add];
  if (sc?.capabilities?.drop) svc['cap_drop'] = [...sc.capabilities.drop];
  const hc = healthcheck(c.readinessProbe ?? c.livenessProbe);
  if (hc) svc['healthcheck'] = hc;
  const expose = (c.ports ?? []).map((p) => `${p.containerPort}/${(p.protocol ?? 'TCP').toLowerCase()}`);
  if (expose.length) svc['expose'] = expose;
  return svc;
}

function healthcheck(p: Probe | undefined): Doc | undefined {
  const cmd = p?.exec?.command;
  if (!p || !cmd) return undefined;
  const test =
    cmd.length === 3 && cmd[0] === '/bin/sh' && cmd[1] === '-c'
      ? ['CMD-SHELL', compose(cmd[2]!)]
      : ['CMD', ...cmd.map(compose)];
  return {
    test,
    interval: `${p.periodSeconds ?? 10}s`,
    timeout: `${p.timeoutSeconds ?? 1}s`,
    retries: p.failureThreshold ?? 3,
  };
}

function storage(mounts: readonly VolumeMount[], volumes: readonly Volume[], ctx: PodContext): Doc {
  const vols: Doc[] = [];
  const secrets: Doc[] = [];
  const configs: Doc[] = [];
  const tmpfs: string[] = [];
  for (const m of mounts) {
    const v = volumes.find((x) => x.name === m.name);
    if (!v) continue;
    const ro = m.readOnly ? { read_only: true } : {};
    if (v.persistentVolumeClaim) {
      const sub = m.subPath ? { volume: { subpath: m.subPath } } : {};
      vols.push({ type: 'volume', source: v.persistentVolumeClaim.claimName, target: m.mountPath, ...ro, ...sub });
    } else if (v.emptyDir?.medium === 'Memory') tmpfs.push(m.mountPath);
    else if (v.emptyDir) vols.push({ type: 'volume', target: m.mountPath });
    else if (v.hostPath) vols.push({ type: 'bind', source: v.hostPath.path, target: m.mountPath, ...ro });
    else if (v.secret?.secretName) secrets.push(fileRef(v.secret.secretName, v.secret.items, m));
    else if (v.configMap?.name) configs.push(fileRef(v.configMap.name, v.configMap.items, m));
    else ctx.notes.push(`${ctx.name}: volume ${m.name} has no Compose form`);
  }
  const out: Doc = {};
  if (vols.length) out['volumes'] = vols;
  if (tmpfs.length) out['tmpfs'] = tmpfs;
  if (secrets.length) out['secrets'] = secrets;
  if (configs.length) out['configs'] = configs;
  return out;
}

// A Secret/ConfigMap key becomes its own Compose secret/config, named `<object>-<key>`.
function fileRef(object: string, items: readonly { key: string; mode?: number }[] | undefined, m: VolumeMount): Doc {
  const key = m.subPath ?? items?.[0]?.key ?? '';
  const mode = items?.find((i) => i.key === key)?.mode;
  return { source: `${object}-${key}`, target: m.mountPath, ...(mode !== undefined ? { mode } : {}) };
}
