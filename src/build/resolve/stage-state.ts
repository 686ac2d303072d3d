// How each instruction changes a stage's state (ENV, ARG, WORKDIR, USER, SHELL, ONBUILD), and the
// variables substitution sees: ENV first, then the stage's ARGs that ENV does not shadow.
import { posix } from 'node:path';
import type { StageInstruction } from '../dockerfile/types.ts';
import type { BaseImageConfig, StageState } from './types.ts';

export const DEFAULT_SHELL: readonly string[] = ['/bin/sh', '-c'];

export function initialState(config: BaseImageConfig | undefined): StageState {
  const env: [string, string][] = [];
  for (const e of config?.env ?? []) {
    const eq = e.indexOf('=');
    setEnv(env, eq < 0 ? e : e.slice(0, eq), eq < 0 ? '' : e.slice(eq + 1));
  }
  return {
    env,
    args: [],
    workdir: config?.workingDir || '/',
    user: config?.user ?? '',
    shell: config?.shell ?? DEFAULT_SHELL,
    onBuild: [],
  };
}

function setEnv(env: [string, string][], key: string, value: string): void {
  const i = env.findIndex(([k]) => k === key);
  if (i >= 0) env[i] = [key, value];
  else env.push([key, value]);
}

export function substitutionEnv(state: StageState): Map<string, string> {
  const m = new Map<string, string>(state.env);
  for (const [k, v] of state.args) if (v !== undefined && !m.has(k)) m.set(k, v);
  return m;
}

/** The process environment of a RUN: ENV entries, then set ARGs that ENV does not override. */
export function runEnvironment(state: StageState): string[] {
  const keys = new Set(state.env.map(([k]) => k));
  return [
    ...state.env.map(([k, v]) => `${k}=${v}`),
    ...state.args.filter(([k, v]) => v !== undefined && !keys.has(k)).map(([k, v]) => `${k}=${v!}`),
  ];
}

export type ArgValue = (name: string, written: string | undefined) => string | undefined;

/** The state after `ins` (already substituted). `argValue` applies --build-arg and global scope. */
export function nextState(state: StageState, ins: StageInstruction, argValue: ArgValue): StageState {
  switch (ins.kind) {
    case 'ENV': {
      const env = state.env.map(([k, v]): [string, string] => [k, v]);
      for (const kv of ins.pairs) setEnv(env, kv.key, kv.value);
      return { ...state, env };
    }
    case 'ARG': {
      const args = state.args.filter(([k]) => !ins.args.some((a) => a.name === k));
      for (const a of ins.args) args.push([a.name, argValue(a.name, a.value)]);
      return { ...state, args };
    }
    case 'WORKDIR':
      return { ...state, workdir: posix.resolve(state.workdir, ins.path) };
    case 'USER':
      return { ...state, user: ins.user };
    case 'SHELL':
      return { ...state, shell: ins.shell };
    case 'ONBUILD':
      return { ...state, onBuild: [...state.onBuild, ins.expression] };
    default:
      return state;
  }
}
