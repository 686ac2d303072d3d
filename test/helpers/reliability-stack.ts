// The stack the leak and crash tests cycle: 10 services on two networks (one internal), a
// published port (supervisor proxy), an init'ed httpd, and a named volume a service appends to
// on every start, so data surviving `down` can be counted.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { volumeData } from '../../src/engine/ops/volumes.ts';
import type { Scope } from './host-snapshot.ts';

const IMG = 'gantry-test/busybox:latest';
const servicesOf = (workers: number): string[] => [
  'web',
  'writer',
  ...Array.from({ length: workers }, (_, i) => `w${i}`),
];
export const SERVICES = servicesOf(8);

/** workers: the plain services beside web and writer (8: the 10-service stack). */
export function stackYaml(name: string, workers = 8): string {
  const plain = servicesOf(workers)
    .slice(2)
    .map(
      (s, i) =>
        `  ${s}:\n    image: ${IMG}\n    init: true\n    command: ["sleep", "600"]\n    networks: [${i % 2 === 0 ? 'default' : 'default, back'}]\n`,
    )
    .join('');
  return `name: ${name}
services:
  web:
    image: ${IMG}
    init: true
    command: ["httpd", "-f", "-p", "80", "-h", "/data"]
    ports: ["127.0.0.1::80"]
    volumes: [data:/data:ro]
    depends_on: [writer]
  writer:
    image: ${IMG}
    init: true
    command: ["sh", "-c", "echo started >> /data/starts; exec sleep 600"]
    volumes: [data:/data]
    networks: [default, back]
${plain}networks:
  back: {internal: true}
volumes:
  data: {}
`;
}

export const scopeOf = (root: string, name: string, workers = 8, more: readonly string[] = []): Scope => ({
  root,
  networkIds: [`${name}_default`, `${name}_back`],
  containers: [...servicesOf(workers).map((s) => `${name}-${s}-1`), ...more],
});

/** How many times the writer started against the volume ("" → 0; the volume gone → undefined). */
export function startsRecorded(root: string, name: string): number | undefined {
  try {
    return readFileSync(join(volumeData(root, `${name}_data`), 'starts'), 'utf8')
      .split('\n')
      .filter(Boolean).length;
  } catch {
    return undefined;
  }
}
