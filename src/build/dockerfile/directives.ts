// Parser directives (`# escape=`, `# syntax=`, `# check=`): only at the very top, each at most once;
// the first line that is not one (an instruction, another comment, an empty line) ends them.

const DIRECTIVE = /^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$/;
const KNOWN = new Set(['escape', 'syntax', 'check']);

export interface Directives {
  readonly escape: string;
  readonly syntax: string | undefined;
  readonly check: string | undefined;
}

export class DirectiveState {
  escape = '\\';
  syntax: string | undefined;
  check: string | undefined;
  private done = false;
  private readonly seen = new Set<string>();
  continuation = continuationRegex('\\');

  /** Looks at one line (left-trimmed); throws on a repeated directive or a bad escape token. */
  look(line: string): void {
    if (this.done) return;
    const m = DIRECTIVE.exec(line);
    const key = m?.[1]?.toLowerCase();
    if (!m || key === undefined || !KNOWN.has(key)) {
      this.done = true;
      return;
    }
    if (this.seen.has(key)) throw new Error(`only one ${key} parser directive can be used`);
    this.seen.add(key);
    const value = m[2]!;
    if (key === 'escape') {
      if (value !== '`' && value !== '\\') throw new Error(`invalid escape token '${value}' does not match \` or \\`);
      this.escape = value;
      this.continuation = continuationRegex(value);
    } else if (key === 'syntax') this.syntax = value;
    else this.check = value;
  }

  result(): Directives {
    return { escape: this.escape, syntax: this.syntax, check: this.check };
  }
}

// The escape token last on a line continues it, unless it is itself escaped ("a\\" ends the line).
function continuationRegex(escape: string): RegExp {
  const e = escape === '\\' ? '\\\\' : escape;
  return new RegExp(`([^${e}])${e}[ \\t]*$|^${e}[ \\t]*$`);
}

/** The `# syntax=` frontends that mean Docker's own Dockerfile 1.x syntax. */
export function isDockerfileSyntax(ref: string): boolean {
  const name = ref.split('@')[0]!.replace(/:[^/]*$/, '');
  return /^(?:(?:docker\.io\/)?docker\/dockerfile(?:-upstream)?)$/.test(name);
}
