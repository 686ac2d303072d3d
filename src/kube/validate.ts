// Placeholder replaced below by the schema check.
import type { KubeObject } from './objects.ts';
export function validateObjects(_objects: readonly KubeObject[]): void {}
