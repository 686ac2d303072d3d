// A root-only test of one network manager over its own temporary state root: the host's state taken
// before, a cleanup stack that collects the manager's leftovers (gc) and then the root.
import { test } from 'node:test';
import { createNetworkManager, type NetworkManager } from '../../src/network/index.ts';
import { cleanupStack, hostSnapshot, isRoot, tempRoot, type Defer, type HostSnapshot } from './netns.ts';

export interface NetworkTestContext {
  readonly defer: Defer;
  readonly before: HostSnapshot;
  readonly root: string;
  readonly m: NetworkManager;
}

export function networkTest(name: string, tag: string, body: (c: NetworkTestContext) => Promise<void>): void {
  test(name, { skip: !isRoot() && 'needs root' }, async (t) => {
    const defer = cleanupStack(t);
    const before = await hostSnapshot();
    const root = await tempRoot(defer, tag);
    const m = createNetworkManager({ root });
    defer(() => m.gc());
    await body({ defer, before, root, m });
  });
}
