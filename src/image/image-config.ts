// The image config's "config" object (Docker's capitalized JSON) → gantry's ImageConfig.
import type { ImageConfig, ImageHealthcheck } from './types.ts';

const strings = (v: unknown): string[] | undefined =>
  Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const keys = (v: unknown): string[] => (v && typeof v === 'object' ? Object.keys(v) : []);
const num = (v: unknown): number | undefined => (typeof v === 'number' && v !== 0 ? v : undefined);

function healthcheck(v: unknown): ImageHealthcheck | undefined {
  if (!v || typeof v !== 'object') return undefined;
  const h = v as Record<string, unknown>;
  const test = strings(h['Test']);
  if (!test) return undefined;
  const opt = (k: string, out: keyof ImageHealthcheck): Record<string, number> => {
    const n = num(h[k]);
    return n === undefined ? {} : { [out]: n };
  };
  return {
    test,
    ...opt('Interval', 'intervalNs'),
    ...opt('Timeout', 'timeoutNs'),
    ...opt('Retries', 'retries'),
    ...opt('StartPeriod', 'startPeriodNs'),
    ...opt('StartInterval', 'startIntervalNs'),
  };
}

/**
 * What is wrong with an untrusted config's run fields, or undefined. They become the container's
 * working dir, argv, env and user: no NUL (C strings would cut them), an absolute WorkingDir (as
 * Docker requires at create). Checked at load and pull, before anything is stored.
 */
export function configProblem(c: unknown): string | undefined {
  if (!c || typeof c !== 'object') return undefined;
  const cfg = c as Record<string, unknown>;
  const nul = (v: unknown): boolean => (typeof v === 'string' ? v.includes('\0') : Array.isArray(v) && v.some(nul));
  for (const k of ['Env', 'Cmd', 'Entrypoint', 'User', 'WorkingDir'])
    if (nul(cfg[k])) return `config.${k} contains a NUL byte`;
  const wd = cfg['WorkingDir'];
  if (typeof wd === 'string' && wd !== '' && !wd.startsWith('/'))
    return `config.WorkingDir ${JSON.stringify(wd.slice(0, 80))} is not an absolute path`;
  return undefined;
}

export function toImageConfig(c: Readonly<Record<string, unknown>> | undefined): ImageConfig {
  const cfg = c ?? {};
  const cmd = strings(cfg['Cmd']);
  const entrypoint = strings(cfg['Entrypoint']);
  const workingDir = str(cfg['WorkingDir']);
  const user = str(cfg['User']);
  const hc = healthcheck(cfg['Healthcheck']);
  const stopSignal = str(cfg['StopSignal']);
  const labels = cfg['Labels'] && typeof cfg['Labels'] === 'object' ? (cfg['Labels'] as Record<string, string>) : {};
  return {
    env: strings(cfg['Env']) ?? [],
    ...(cmd ? { cmd } : {}),
    ...(entrypoint ? { entrypoint } : {}),
    ...(workingDir ? { workingDir } : {}),
    ...(user ? { user } : {}),
    exposedPorts: keys(cfg['ExposedPorts']),
    volumes: keys(cfg['Volumes']),
    ...(hc ? { healthcheck: hc } : {}),
    ...(stopSignal ? { stopSignal } : {}),
    labels: { ...labels },
  };
}
