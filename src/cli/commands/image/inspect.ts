// `gantry image inspect REF...`: Docker-shaped JSON (Id = config digest, Config with Docker's keys).
import type { Command } from 'commander';
import { UsageError } from '../../../common/errors.ts';
import type { LocalImage } from '../../../engine/index.ts';
import { runCommand } from '../../run-command.ts';
import { imageStore } from './store.ts';

const set = (keys: readonly string[]): Record<string, object> => Object.fromEntries(keys.map((k) => [k, {}]));

export function inspectJson(i: LocalImage): object {
  const c = i.config;
  const hc = c.healthcheck;
  return {
    Id: i.id,
    RepoTags: i.references.filter((r) => !r.includes('@')),
    RepoDigests: i.references.filter((r) => r.includes('@')),
    Created: i.created ?? '',
    Architecture: i.architecture,
    ...(i.variant ? { Variant: i.variant } : {}),
    Os: i.os,
    Size: i.size,
    Config: {
      Env: c.env,
      Cmd: c.cmd ?? null,
      Entrypoint: c.entrypoint ?? null,
      WorkingDir: c.workingDir ?? '',
      User: c.user ?? '',
      ExposedPorts: set(c.exposedPorts),
      Volumes: set(c.volumes),
      StopSignal: c.stopSignal ?? '',
      Labels: c.labels,
      ...(hc
        ? {
            Healthcheck: {
              Test: hc.test,
              Interval: hc.intervalNs ?? 0,
              Timeout: hc.timeoutNs ?? 0,
              Retries: hc.retries ?? 0,
              StartPeriod: hc.startPeriodNs ?? 0,
              StartInterval: hc.startIntervalNs ?? 0,
            },
          }
        : {}),
    },
    ManifestDigest: i.manifestDigest,
    GraphDriver: { Name: 'overlay', Data: { LowerDir: [...i.layers].reverse().join(':') } },
  };
}

export function registerImageInspect(image: Command): void {
  image
    .command('inspect <refs...>')
    .description('show an image as JSON')
    .action(
      runCommand(async (_ctx, refs: string[]) => {
        const store = await imageStore();
        const out = [];
        for (const r of refs) {
          const img = await store.resolve(r);
          if (!img) throw new UsageError(`image inspect: no such image: ${r}`);
          out.push(inspectJson(img));
        }
        process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
      }),
    );
}
