// For the seccomp attack tests: a static probe binary, built with gcc into its own image layer,
// that makes one raw system call (by number, arguments in hex) and prints its return and errno,
// or starts a thread (glibc tries clone3, then falls back to clone). Numbers come from gantry's
// own table for this machine's architecture.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { syscallNumber, type Arch } from '../../src/runtime/seccomp/select-rules.ts';

const SOURCE = `#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
static void *run(void *a) { return a; }
int main(int argc, char **argv) {
  if (argc > 1 && !strcmp(argv[1], "thread")) {
    pthread_t t; int e = pthread_create(&t, 0, run, 0);
    if (e) { printf("thread %s\\n", strerror(e)); return 1; }
    pthread_join(t, 0); puts("thread ok"); return 0;
  }
  for (int c = 1; c < argc; c++) {
    long a[6] = { 0 }; char *s = argv[c], *name = strsep(&s, ":"); long nr = strtol(strsep(&s, ":"), 0, 0);
    for (int i = 0; i < 6 && s; i++) a[i] = (long)strtoull(strsep(&s, ","), 0, 0);
    errno = 0; long r = syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
    printf("%s %s\\n", name, r < 0 ? strerrorname_np(errno) : "ok");
    fflush(stdout);
  }
  return 0;
}
`;

const ARCHES: Readonly<Record<string, Arch>> = { x64: 'x86_64', arm64: 'aarch64' };
export const ARCH: Arch | undefined = ARCHES[process.arch];

/** A layer holding /probe; removed at the end of the test file. */
export function probeLayer(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), `gantry-seccomp-probe-${process.pid}-`));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'probe.c'), SOURCE);
  execFileSync('gcc', ['-O1', '-static', '-pthread', '-o', join(dir, 'probe'), join(dir, 'probe.c')]);
  rmSync(join(dir, 'probe.c'));
  return dir;
}

/** One probe argument: "label:NR:arg0,arg1,..." for the call named (its number on this machine). */
export function call(label: string, name: string, ...args: (number | bigint)[]): string {
  const nr = name.startsWith('#') ? Number(name.slice(1)) : syscallNumber(name, ARCH!);
  if (nr === undefined) throw new Error(`no number for ${name} on ${ARCH}`);
  return `${label}:${nr}${args.length ? `:${args.map((a) => `0x${a.toString(16)}`).join(',')}` : ''}`;
}

/** probe output → label → "ok" or the errno name ("EPERM"). */
export function results(stdout: string): Map<string, string> {
  return new Map(
    stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split(' ') as [string, string]),
  );
}
