// Firewall rules of one network, as batches, in chains (iptables) or a table (nft) of its own,
// named after its bridge, so removal deletes exactly what was made and never touches another
// network's or tool's rules. Docker's isolation, per bridge so it costs nothing per container:
// - FORWARD: bridge-local traffic is accepted (Docker's FORWARD DROP with br_netfilter would
//   drop it); anything from this bridge to another gantry bridge (`gt-*`) is dropped (Docker's
//   DOCKER-ISOLATION-STAGE-1/2), and nothing new from elsewhere (another bridge, the host's
//   other interfaces) enters this bridge: unpublished ports are reachable from the network's own
//   members only, published ones through the userland proxy (host sockets, not FORWARD).
//   Non-internal networks: egress accepted and the subnet MASQUERADEd; internal ones: no egress.
// - INPUT: DNS to the bridge's own gateway is accepted from the bridge (so a host firewall with
//   an INPUT DROP policy, ufw/firewalld style, does not cut discovery) and dropped from any other
//   interface but loopback: another network's members never reach this network's responder.
import { BRIDGE_PREFIX, chainNames } from './names.ts';

export interface NatPlan {
  readonly bridge: string;
  readonly subnet: string;
  readonly gateway: string;
  readonly internal: boolean;
}

/** Bumped when the rules change: a network made with older rules gets these on its next ensure. */
export const RULES_VERSION = 2;

/** Every gantry bridge, as an interface pattern (iptables `+`, nft `*`). */
const ANY_BRIDGE = `${BRIDGE_PREFIX}+`;

function forwardRules(p: NatPlan, chain: string): readonly string[] {
  const br = p.bridge;
  const local = `-A ${chain} -i ${br} -o ${br} -j ACCEPT`;
  const inbound = `-A ${chain} ! -i ${br} -o ${br} -j DROP`;
  if (p.internal) return [local, `-A ${chain} -i ${br} ! -o ${br} -j DROP`, inbound];
  return [
    local,
    `-A ${chain} -i ${br} -o ${ANY_BRIDGE} -j DROP`,
    `-A ${chain} -o ${br} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`,
    `-A ${chain} -i ${br} ! -o ${br} -j ACCEPT`,
    inbound,
  ];
}

function inputRules(p: NatPlan, chain: string): readonly string[] {
  const dns = (proto: string, target: string, from: string) =>
    `-A ${chain} ${from} -d ${p.gateway} -p ${proto} --dport 53 -j ${target}`;
  return [
    dns('udp', 'ACCEPT', `-i ${p.bridge}`),
    dns('tcp', 'ACCEPT', `-i ${p.bridge}`),
    `-A ${chain} -i lo -j RETURN`,
    dns('udp', 'DROP', `! -i ${p.bridge}`),
    dns('tcp', 'DROP', `! -i ${p.bridge}`),
  ];
}

/**
 * iptables-restore --noflush text that installs the network's chains and jumps. Its chains are made
 * with `-N`, which fails (and the table's batch with it) when one exists already, where a `:CHAIN`
 * line would flush it and the jumps would be doubled: so it may be tried without reading the rules.
 */
export function iptablesInstall(p: NatPlan): string {
  const c = chainNames(p.bridge);
  const tag = `-m comment --comment ${c.comment}`;
  const out = ['*filter', `-N ${c.forward}`, `-N ${c.input}`, `-I FORWARD 1 ${tag} -j ${c.forward}`];
  out.push(`-I INPUT 1 ${tag} -j ${c.input}`, ...forwardRules(p, c.forward), ...inputRules(p, c.input), 'COMMIT');
  if (!p.internal) {
    out.push('*nat', `-N ${c.nat}`, `-A POSTROUTING ${tag} -j ${c.nat}`);
    out.push(`-A ${c.nat} -s ${p.subnet} ! -o ${p.bridge} -j MASQUERADE`, 'COMMIT');
  }
  return out.join('\n') + '\n';
}

/** Splits iptables-save output into table → lines. */
function tables(save: string): ReadonlyMap<string, readonly string[]> {
  const m = new Map<string, string[]>();
  let cur: string[] | undefined;
  for (const line of save.split('\n')) {
    if (line.startsWith('*')) m.set(line.slice(1), (cur = []));
    else if (cur && line !== 'COMMIT' && !line.startsWith('#')) cur.push(line);
  }
  return m;
}

/**
 * iptables-restore text removing whatever of this bridge's rules exist now (from iptables-save),
 * or undefined when nothing is left. Works on partial leftovers of a killed process too.
 */
export function iptablesRemoval(save: string, bridge: string): string | undefined {
  const c = chainNames(bridge);
  const out: string[] = [];
  for (const [table, lines] of tables(save)) {
    const mine = [c.forward, c.input, c.nat].filter((ch) => lines.some((l) => l.startsWith(`:${ch} `)));
    const jumps = lines.filter((l) => l.startsWith('-A ') && mine.some((ch) => l.endsWith(` -j ${ch}`)));
    if (mine.length === 0 && jumps.length === 0) continue;
    out.push(`*${table}`, ...jumps.map((l) => `-D ${l.slice(3)}`));
    for (const ch of mine) out.push(`-F ${ch}`, `-X ${ch}`);
    out.push('COMMIT');
  }
  return out.length === 0 ? undefined : out.join('\n') + '\n';
}

/**
 * iptables-restore text removing exactly what iptablesInstall(p) made, without reading the
 * rules first (saves an iptables-save run per removal). It fails as a whole when the rules are
 * not exactly those (a partial leftover, a duplicate jump); the caller then uses iptablesRemoval.
 */
export function iptablesKnownRemoval(p: NatPlan): string {
  const c = chainNames(p.bridge);
  const tag = `-m comment --comment ${c.comment}`;
  const out = ['*filter', `-D FORWARD ${tag} -j ${c.forward}`, `-D INPUT ${tag} -j ${c.input}`];
  out.push(`-F ${c.forward}`, `-X ${c.forward}`, `-F ${c.input}`, `-X ${c.input}`, 'COMMIT');
  if (!p.internal) out.push('*nat', `-D POSTROUTING ${tag} -j ${c.nat}`, `-F ${c.nat}`, `-X ${c.nat}`, 'COMMIT');
  return out.join('\n') + '\n';
}

/** Bridges that have gantry chains in an iptables-save dump (gc compares them to live bridges). */
export function iptablesBridges(save: string): ReadonlySet<string> {
  const found = new Set<string>();
  for (const m of save.matchAll(/^:GANTRY-(?:FWD|IN|NAT)-(\S+) /gm)) found.add(m[1]!);
  return found;
}

/**
 * nft script for the same rules, in a table of the network's own (used when iptables is absent).
 * It starts with `create table`, which fails (the whole script with it) when the table exists.
 */
export function nftInstall(p: NatPlan): string {
  const t = chainNames(p.bridge).nftTable;
  const br = `"${p.bridge}"`;
  // nft: an accept ends only this table's chain; the other networks' tables still see the packet.
  const fwd = p.internal
    ? [`iifname ${br} oifname ${br} accept`, `iifname ${br} drop`, `oifname ${br} drop`]
    : [
        `iifname ${br} oifname ${br} accept`,
        `iifname ${br} oifname "${BRIDGE_PREFIX}*" drop`,
        `oifname ${br} ct state related,established accept`,
        `iifname ${br} accept`,
        `oifname ${br} drop`,
      ];
  const dns = `ip daddr ${p.gateway} meta l4proto { udp, tcp } th dport 53`;
  const lines = [
    `create table ip ${t}`,
    `table ip ${t} {`,
    '  chain forward {',
    '    type filter hook forward priority filter - 1; policy accept;',
    ...fwd.map((r) => `    ${r}`),
    '  }',
    '  chain input {',
    '    type filter hook input priority filter - 1; policy accept;',
    `    iifname ${br} ${dns} accept`,
    `    iifname != { ${br}, "lo" } ${dns} drop`,
    '  }',
  ];
  if (!p.internal) {
    lines.push('  chain postrouting {', '    type nat hook postrouting priority srcnat; policy accept;');
    lines.push(`    ip saddr ${p.subnet} oifname != ${br} masquerade`, '  }');
  }
  lines.push('}');
  return lines.join('\n') + '\n';
}

export const nftRemoval = (bridge: string): string => `delete table ip ${chainNames(bridge).nftTable}\n`;
