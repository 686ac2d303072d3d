// The name Compose gives a `run` container; light, so the CLI can name one before the engine loads.

/** `<project>-<service>-run-<12 hex>`; Math.random, because the name needs no secrecy, only rarity. */
export function oneOffName(project: string, service: string): string {
  const hex = Array.from({ length: 12 }, () => Math.floor(Math.random() * 16).toString(16)).join('');
  return `${project}-${service}-run-${hex}`;
}
