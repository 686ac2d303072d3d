// The stage graph: which stages each stage needs (FROM an earlier stage, COPY --from=name|index,
// RUN --mount from=), the images it pulls in directly, the stages a --target needs (the others
// are not run, as BuildKit skips unreachable stages), an order to build them in, and the errors:
// duplicate or reserved names, unknown target, bad index, circular dependencies.
import { ConfigError } from '../../common/errors.ts';
import { parseReference } from '../../image/reference.ts';
import { DockerfileError } from '../dockerfile/errors.ts';
import type { Dockerfile } from '../dockerfile/types.ts';
import { substituteGlobal, type GlobalScope } from '../resolve/global-args.ts';

export type StageRef =
  | { readonly kind: 'stage'; readonly index: number; readonly via: string; readonly line: number }
  | { readonly kind: 'image'; readonly ref: string; readonly via: string; readonly line: number };

export interface StageNode {
  readonly index: number;
  readonly name: string | undefined;
  readonly refs: readonly StageRef[];
}

export interface StageGraph {
  readonly nodes: readonly StageNode[];
}

const RESERVED = new Set(['scratch', 'context']);

/** named: the build's named contexts (lower-case); a stage of the same name is replaced by its context. */
export function stageGraph(df: Dockerfile, global: GlobalScope, named: ReadonlySet<string> = new Set()): StageGraph {
  const names = new Map<string, number>();
  const nodes: StageNode[] = [];
  for (const stage of df.stages) {
    const { from } = stage;
    const name = from.stageName;
    if (name !== undefined) {
      if (RESERVED.has(name))
        throw new DockerfileError(df.file, from.line, 'FROM', `'${name}' is a reserved stage name`);
      if (names.has(name))
        throw new DockerfileError(df.file, from.line, 'FROM', `duplicate stage name ${JSON.stringify(name)}`);
    }
    const refs: StageRef[] = [];
    const base = substituteGlobal(df, global, from.image, from.line, 'FROM').toLowerCase();
    // FROM sees only the stages above it; a later name is an image, as in BuildKit.
    const earlier = names.get(base);
    if (earlier !== undefined) refs.push({ kind: 'stage', index: earlier, via: 'FROM', line: from.line });
    else if (base !== 'scratch') refs.push({ kind: 'image', ref: base, via: 'FROM', line: from.line });
    if (name !== undefined && !named.has(name)) names.set(name, stage.index);
    nodes.push({ index: stage.index, name, refs });
  }
  const later = (i: number): StageRef[] => laterRefs(df, global, i, names, named);
  return { nodes: nodes.map((n) => ({ ...n, refs: [...n.refs, ...later(n.index)] })) };
}

function laterRefs(
  df: Dockerfile,
  global: GlobalScope,
  index: number,
  names: ReadonlyMap<string, number>,
  named: ReadonlySet<string>,
): StageRef[] {
  const refs: StageRef[] = [];
  const add = (value: string, via: string, line: number, kind: string): void => {
    if (/^\d+$/.test(value)) {
      const i = Number(value);
      if (i >= df.stages.length) throw new DockerfileError(df.file, line, kind, `invalid stage index ${i}`);
      refs.push({ kind: 'stage', index: i, via, line });
      return;
    }
    const stage = names.get(value.toLowerCase());
    if (stage !== undefined) {
      refs.push({ kind: 'stage', index: stage, via, line });
      return;
    }
    if (named.has(value.toLowerCase())) {
      refs.push({ kind: 'image', ref: value, via, line });
      return;
    }
    try {
      parseReference(value);
    } catch {
      throw new DockerfileError(
        df.file,
        line,
        kind,
        `${via}=${value}: no stage of that name, and not an image reference`,
      );
    }
    refs.push({ kind: 'image', ref: value, via, line });
  };
  for (const ins of df.stages[index]!.instructions) {
    const one = ins.kind === 'ONBUILD' ? undefined : ins;
    if (one?.kind === 'COPY' && one.from !== undefined) {
      add(substituteGlobal(df, global, one.from, one.line, 'COPY'), 'COPY --from', one.line, 'COPY');
    }
    if (one?.kind === 'RUN') {
      for (const m of one.mounts)
        if ((m.type === 'bind' || m.type === 'cache') && m.from !== undefined)
          add(m.from, 'RUN --mount from', one.line, 'RUN');
    }
  }
  return refs;
}

/** The stages the target (a name, or the last stage when absent) needs, itself included. */
export function stagesForTarget(df: Dockerfile, graph: StageGraph, target?: string): ReadonlySet<number> {
  let root = graph.nodes.length - 1;
  if (target !== undefined) {
    const found = graph.nodes.find((n) => n.name === target.toLowerCase());
    if (!found) throw new ConfigError(`target stage ${JSON.stringify(target)} could not be found in ${df.file}`);
    root = found.index;
  }
  const needed = new Set<number>();
  const visiting = new Set<number>();
  const visit = (i: number): void => {
    if (needed.has(i)) return;
    const node = graph.nodes[i]!;
    if (visiting.has(i)) {
      const ref = node.refs.find((r) => r.kind === 'stage');
      throw new DockerfileError(
        df.file,
        ref?.line ?? df.stages[i]!.from.line,
        ref?.via.split(' ')[0] ?? 'FROM',
        `circular dependency detected on stage: ${node.name ?? String(i)}`,
      );
    }
    visiting.add(i);
    for (const r of node.refs) if (r.kind === 'stage') visit(r.index);
    visiting.delete(i);
    needed.add(i);
  };
  visit(root);
  return needed;
}

/** Build waves: each stage comes after all the stages it needs; stages in one wave are independent. */
export function buildWaves(graph: StageGraph, needed: ReadonlySet<number>): readonly (readonly number[])[] {
  const done = new Set<number>();
  const waves: number[][] = [];
  while (done.size < needed.size) {
    const wave = [...needed]
      .filter(
        (i) =>
          !done.has(i) && graph.nodes[i]!.refs.every((r) => r.kind !== 'stage' || done.has(r.index) || r.index === i),
      )
      .sort((a, b) => a - b);
    if (wave.length === 0) throw new ConfigError('circular dependency between build stages');
    for (const i of wave) done.add(i);
    waves.push(wave);
  }
  return waves;
}
