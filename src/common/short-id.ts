// Short stable ids derived from a name by hashing: a container's hostname (Docker's is its short
// id), its namespace's name, a state root's build namespaces. One definition, so names made in
// one module are found by another (and by tests) without importing the translator.
import { sha256 } from './lazy-crypto.ts';

/** 12 hex digits of the name's sha256. */
export const shortId = (name: string): string => sha256().update(name).digest('hex').slice(0, 12);
