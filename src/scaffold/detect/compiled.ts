// Go (go.mod), Rust (Cargo.toml) and .NET (*.csproj): the toolchain version they ask for and the
// name of what they build.
import { firstVersion, readSmall, withSuffix, type Detection } from './types.ts';

export function detectGo(dir: string): Detection | undefined {
  const mod = readSmall(dir, 'go.mod');
  if (mod === undefined) return undefined;
  const values: Record<string, string> = {};
  const version = firstVersion(/^go\s+(\S+)/m.exec(mod)?.[1]);
  if (version !== undefined) values['version'] = version;
  return { language: 'go', values, evidence: ['go.mod'] };
}

export function detectRust(dir: string): Detection | undefined {
  const cargo = readSmall(dir, 'Cargo.toml');
  if (cargo === undefined) return undefined;
  const values: Record<string, string> = {};
  const pkg = /^\[package\][^[]*?^name\s*=\s*"([A-Za-z0-9_-]+)"/ms.exec(cargo)?.[1];
  if (pkg !== undefined) values['binary'] = pkg;
  const version = firstVersion(/^rust-version\s*=\s*"([^"]+)"/m.exec(cargo)?.[1]);
  if (version !== undefined) values['version'] = version;
  return { language: 'rust', values, evidence: ['Cargo.toml'] };
}

export function detectDotnet(dir: string): Detection | undefined {
  const proj = withSuffix(dir, '.csproj')[0];
  if (proj === undefined) return undefined;
  const text = readSmall(dir, proj) ?? '';
  const values: Record<string, string> = { project: proj.slice(0, -'.csproj'.length) };
  const tfm = /<TargetFramework>net(\d+\.\d+)<\/TargetFramework>/.exec(text)?.[1];
  if (tfm !== undefined) values['version'] = tfm;
  return { language: 'dotnet', values, evidence: [proj] };
}
