// Applies a network's firewall rules with whichever backend the host has (iptables first, since
// Docker and podman use it too and an ACCEPT in one nft table cannot override a DROP in another),
// and sets net.ipv4.ip_forward explicitly, recording the value it found.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { NetHost } from './host.ts';
import type { FirewallKind } from './types.ts';
import { type NatPlan, iptablesInstall, iptablesKnownRemoval, iptablesRemoval, nftInstall, nftRemoval } from './nat.ts';
import { chainNames } from './names.ts';
import { mkdirPrivateAsync } from '../common/private-files.ts';

/**
 * Installs the network's rules in one child when none of its chains (nft: its table) exist yet: the
 * batch fails as a whole on any that does (nat.ts). Only then are the leftovers (an interrupted
 * run's, an older rules version's) read and removed, and the batch run again. Reading first was an
 * iptables-save (nft list tables) per network created, one fork of the ≈ 100 MB CLI more.
 * `started`: that first batch, already running (make-children.ts).
 */
export async function installRules(
  host: NetHost,
  kind: FirewallKind,
  p: NatPlan,
  started?: Promise<void>,
): Promise<void> {
  if (kind === 'none') return;
  const apply = () => (kind === 'iptables' ? host.iptablesRestore(iptablesInstall(p)) : host.nft(nftInstall(p)));
  const fresh = await (started ?? apply()).then(
    () => true,
    () => false,
  );
  if (fresh) return;
  await removeRules(host, kind, p.bridge);
  await apply();
}

/**
 * Removes the network's rules; when what was installed is known (plan), tries that first, or awaits
 * `started`, that removal already running (teardown-children.ts).
 */
export async function removeRules(
  host: NetHost,
  kind: FirewallKind,
  bridge: string,
  plan?: NatPlan,
  started?: Promise<void>,
): Promise<void> {
  if (kind === 'iptables') {
    if (plan) {
      const done = await (started ?? host.iptablesRestore(iptablesKnownRemoval(plan))).then(
        () => true,
        () => false,
      );
      if (done) return;
    }
    const text = iptablesRemoval(await host.iptablesSave(), bridge);
    if (text !== undefined) await host.iptablesRestore(text);
  } else if (kind === 'nft') {
    const table = `table ip ${chainNames(bridge).nftTable}`;
    if ((await host.nftTables()).includes(table)) await host.nft(nftRemoval(bridge));
  }
}

/**
 * Turns forwarding on for egress. The old value is kept in `<root>/ip_forward.orig` (first
 * writer wins) but never restored automatically: Docker, podman or another gantry root may
 * rely on forwarding by then, and turning it off under them would cut their egress.
 */
export async function enableForwarding(host: NetHost, root: string): Promise<void> {
  const key = 'net.ipv4.ip_forward';
  const old = await host.readSysctl(key);
  const orig = join(root, 'ip_forward.orig');
  await mkdirPrivateAsync(root);
  await readFile(orig, 'utf8').catch(() => writeFile(orig, old + '\n'));
  if (old !== '1') await host.writeSysctl(key, '1');
}
