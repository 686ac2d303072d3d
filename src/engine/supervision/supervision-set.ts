// What the supervisor needs per container (merged healthcheck, restart policy, endpoints, the
// host ports actually chosen), and supervision.json written atomically for the whole project.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalImage } from '../../image/index.ts';
import type { ServiceConfig } from '../../project/model.ts';
import type {
  RestartPolicy,
  SupervisedContainer,
  SupervisedHealthcheck,
  SupervisedNetwork,
  SupervisionSet,
} from '../../supervisor/contract.ts';
import { byCodeUnit } from '../../common/compare.ts';
import { mkdirPrivate } from '../../common/private-files.ts';
import { replaceFile } from '../../common/replace-file.ts';

const NS_PER_MS = 1e6;

/** Service fields override the image's HEALTHCHECK one by one (Docker's merge); NONE disables. */
export function mergeHealthcheck(svc: ServiceConfig, image: LocalImage): SupervisedHealthcheck | undefined {
  const s = svc.healthcheck;
  const i = image.config.healthcheck;
  if (s?.disable) return undefined;
  const test = s?.test ?? i?.test;
  if (!test || test.length === 0 || test[0] === 'NONE') return undefined;
  // An image's value under Docker's 1 ms floor counts as unset (the compose side refuses it at load).
  const ms = (own: number | undefined, ns: number | undefined, dflt: number): number =>
    own ?? (ns && ns >= NS_PER_MS ? ns / NS_PER_MS : dflt);
  return {
    test,
    intervalMs: ms(s?.interval, i?.intervalNs, 30_000),
    timeoutMs: ms(s?.timeout, i?.timeoutNs, 30_000),
    retries: s?.retries ?? i?.retries ?? 3,
    startPeriodMs: ms(s?.start_period, i?.startPeriodNs, 0),
    startIntervalMs: ms(s?.start_interval, i?.startIntervalNs, 5_000),
  };
}

export function restartPolicy(text: string | undefined): RestartPolicy {
  if (text === 'always' || text === 'unless-stopped') return { kind: text };
  const m = /^on-failure(?::(\d+))?$/.exec(text ?? '');
  if (m) return m[1] ? { kind: 'on-failure', maxRetries: Number(m[1]) } : { kind: 'on-failure' };
  return { kind: 'no' };
}

const setFile = (projectDir: string): string => join(projectDir, 'supervision.json');

// The last set parsed per file, by the identity of the file version it came from: each start of
// an `up` asks whether the applied set holds its container, and parsing the whole set each time
// grew with the square of the project (issue 20: ≈ 0.5 s of CPU at 60 services under load).
// Every write is a rename of a new file, so a new version has a new inode; ours also drop the entry
// (a freed inode may come back with the same size within one mtime tick).
const parsed = new Map<string, { readonly version: string; readonly set: SupervisionSet }>();

export function readSupervisionSet(projectDir: string): SupervisionSet | undefined {
  const file = setFile(projectDir);
  try {
    const st = statSync(file, { bigint: true });
    const version = `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}`;
    const hit = parsed.get(file);
    if (hit?.version === version) return hit.set;
    const set = JSON.parse(readFileSync(file, 'utf8')) as SupervisionSet;
    parsed.set(file, { version, set });
    return set;
  } catch {
    parsed.delete(file);
    return undefined;
  }
}

/** Temp file + rename: the supervisor never reads half a file. */
export function writeSupervisionSet(
  projectDir: string,
  project: string,
  networks: readonly SupervisedNetwork[],
  containers: readonly SupervisedContainer[],
  portsWhileRunning = false,
): SupervisionSet {
  mkdirPrivate(projectDir);
  const generation = (readSupervisionSet(projectDir)?.generation ?? 0) + 1;
  const set: SupervisionSet = { project, generation, ...contentOf(networks, containers, portsWhileRunning) };
  parsed.delete(setFile(projectDir));
  replaceFile(setFile(projectDir), JSON.stringify(set, null, 1)); // 0600: interpolated env holds secrets
  return set;
}

type SetContent = Pick<SupervisionSet, 'networks' | 'containers' | 'portsWhileRunning'>;

/** What a set holds besides its project and generation, as written: containers in id order. */
function contentOf(
  networks: readonly SupervisedNetwork[],
  containers: readonly SupervisedContainer[],
  portsWhileRunning: boolean,
): SetContent {
  const sorted = [...containers].sort((a, b) => byCodeUnit(a.id, b.id));
  return { networks, containers: sorted, ...(portsWhileRunning ? { portsWhileRunning } : {}) };
}

/** Whether writing these would write what `current` already holds (its generation aside). */
export function holdsSameContent(
  current: SupervisionSet,
  networks: readonly SupervisedNetwork[],
  containers: readonly SupervisedContainer[],
  portsWhileRunning = false,
): boolean {
  const next = contentOf(networks, containers, portsWhileRunning);
  return (
    current.portsWhileRunning === next.portsWhileRunning &&
    JSON.stringify(current.networks) === JSON.stringify(next.networks) &&
    JSON.stringify(current.containers) === JSON.stringify(next.containers)
  );
}
