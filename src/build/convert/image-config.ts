// A resolved stage → the image's `config` object (Docker's capitalized JSON, as image/image-config.ts
// reads it) and its history, as BuildKit's dispatchers fill them: shell forms wrapped in the
// stage's SHELL, ENTRYPOINT clearing an inherited CMD, ports normalized to `N/proto` (ranges
// expanded), the base image's ONBUILD triggers consumed.
import type { ResolvedStage } from '../resolve/types.ts';
import { commandArgv } from './run-command.ts';

export interface ImageConfigJson {
  Env: string[];
  Cmd?: string[];
  Entrypoint?: string[];
  WorkingDir?: string;
  User?: string;
  ExposedPorts?: Record<string, Record<string, never>>;
  Volumes?: Record<string, Record<string, never>>;
  Healthcheck?: {
    Test: string[];
    Interval?: number;
    Timeout?: number;
    StartPeriod?: number;
    StartInterval?: number;
    Retries?: number;
  };
  StopSignal?: string;
  Labels?: Record<string, string>;
  OnBuild?: string[];
  Shell?: string[];
}

export interface HistoryEntry {
  readonly created_by: string;
  readonly comment: string;
  readonly empty_layer: boolean;
}

const LAYER_KINDS = new Set(['RUN', 'COPY', 'ADD', 'WORKDIR']);

/** `base` is the base image's config (its `config` object), or the parent stage's result. */
export function imageConfigFor(stage: ResolvedStage, base: Readonly<ImageConfigJson> | undefined): ImageConfigJson {
  const c: ImageConfigJson = structuredClone({ ...base, Env: [] });
  delete c.OnBuild; // consumed: they ran as this stage's first steps
  let cmdSet = false;
  for (const { instruction: ins, state } of stage.steps) {
    switch (ins.kind) {
      case 'CMD':
        c.Cmd = commandArgv(ins.command, state.shell);
        cmdSet = true;
        break;
      case 'ENTRYPOINT': {
        const argv = commandArgv(ins.command, state.shell);
        if (argv.length === 0) delete c.Entrypoint;
        else c.Entrypoint = argv;
        if (!cmdSet) delete c.Cmd;
        break;
      }
      case 'EXPOSE':
        c.ExposedPorts = { ...c.ExposedPorts };
        for (const p of ins.ports.flatMap(normalizePort)) c.ExposedPorts[p] = {};
        break;
      case 'VOLUME':
        c.Volumes = { ...c.Volumes };
        for (const v of ins.paths) c.Volumes[v] = {};
        break;
      case 'LABEL':
        c.Labels = { ...c.Labels };
        for (const kv of ins.pairs) c.Labels[kv.key] = kv.value;
        break;
      case 'HEALTHCHECK': {
        const h: NonNullable<ImageConfigJson['Healthcheck']> = { Test: [...ins.test] };
        if (ins.interval) h.Interval = ins.interval;
        if (ins.timeout) h.Timeout = ins.timeout;
        if (ins.startPeriod) h.StartPeriod = ins.startPeriod;
        if (ins.startInterval) h.StartInterval = ins.startInterval;
        if (ins.retries) h.Retries = ins.retries;
        c.Healthcheck = h;
        break;
      }
      case 'STOPSIGNAL':
        if (!/^(SIG)?[A-Z][A-Z0-9+-]*$|^\d+$/i.test(ins.signal)) throw new Error(`Invalid signal: ${ins.signal}`);
        c.StopSignal = ins.signal;
        break;
      case 'SHELL':
        c.Shell = [...ins.shell];
        break;
      default:
        break;
    }
  }
  const f = stage.final;
  c.Env = f.env.map(([k, v]) => `${k}=${v}`);
  if (f.workdir !== '/' || base?.WorkingDir) c.WorkingDir = f.workdir;
  if (f.user !== '') c.User = f.user;
  if (f.onBuild.length > 0) c.OnBuild = [...f.onBuild];
  return c;
}

/** `80` → `80/tcp`, `53/udp`, `8000-8002` → three ports, `127.0.0.1:8080:80` → `80/tcp`. */
export function normalizePort(spec: string): string[] {
  const [portPart, rawProto = 'tcp'] = spec.split('/');
  const proto = rawProto.toLowerCase();
  const container = portPart!.split(':').pop()!;
  const m = /^(\d+)(?:-(\d+))?$/.exec(container);
  if (!m || !/^[a-z]+$/.test(proto)) throw new Error(`invalid containerPort: ${container}`);
  const start = Number(m[1]);
  const end = m[2] === undefined ? start : Number(m[2]);
  if (end < start || end > 65535) throw new Error(`invalid port range: ${container}`);
  return Array.from({ length: end - start + 1 }, (_, i) => `${start + i}/${proto}`);
}

export function historyFor(stage: ResolvedStage): HistoryEntry[] {
  return stage.steps.map(({ instruction: ins, written, state }) => {
    const text = written.source.trim().replace(/^\S+\s*/, '');
    let createdBy = `${ins.kind} ${text}`;
    if (ins.kind === 'RUN') {
      const args = state.args.filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${v!}`);
      const prefix = args.length > 0 ? `|${args.length} ${args.join(' ')} ` : '';
      createdBy = `RUN ${prefix}${commandArgv(ins.command, state.shell).join(' ')}`;
    }
    const layer = LAYER_KINDS.has(ins.kind);
    return {
      created_by: layer ? `${createdBy} # buildkit` : createdBy,
      comment: 'buildkit.dockerfile.v0',
      empty_layer: !layer,
    };
  });
}
