// A gantry process that dies by SIGKILL in the middle of its work, for gc tests:
//   node --import tsx netns-crash.ts ROOT network ID          killed after the bridge exists (before its rules,
//                                                             or with them where one child makes both)
//   node --import tsx netns-crash.ts ROOT attach ID NETNSPATH  killed after the host veth exists, before addressing
import { createNetworkManager, systemHost, type NetHost } from '../../src/network/index.ts';

const [root = '', stage, id = '', netnsPath = ''] = process.argv.slice(2);
const real = systemHost();
const die = (): never => {
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable');
};
const host: NetHost = {
  ...real,
  async ipBatch(lines, ns) {
    await real.ipBatch(lines, ns);
    if (stage === 'network' && lines.some((l) => l.includes('type bridge'))) die();
    if (stage === 'attach' && lines.some((l) => l.includes('type veth'))) die();
  },
  // a network's bridge and rules from one child (network/netlink-make.ts): killed once its bridge is made
  ipBatchWithRules(lines, rules) {
    const made = real.ipBatchWithRules!(lines, rules);
    return { ...made, links: made.links.then(() => void (stage === 'network' && die())) };
  },
  // an attach's veths and inside ends share one launcher: killed once it returns
  async ipHostThenInside(hostLines, jobs) {
    const r = await real.ipHostThenInside!(hostLines, jobs);
    if (stage === 'attach' && hostLines.some((l) => l.includes('type veth'))) die();
    return r;
  },
};

const m = createNetworkManager({ root, host });
if (stage === 'attach') {
  await createNetworkManager({ root }).ensureNetwork({ id, internal: false });
  await m.attach(netnsPath, id, { ifname: 'eth0', defaultRoute: true, owner: 'doomed' });
} else {
  await m.ensureNetwork({ id, internal: false });
}
