// Runs inside a namespace that plays the host (`ip netns exec H node --import tsx …`), so the
// scenario can change that "host"'s firewall policy without touching the real one:
//   netns-scenario.ts ROOT TAG SERVER PORT
// makes a non-internal network and a container namespace, asks SERVER:PORT from the container,
// then removes gantry's FORWARD jump and asks again; prints {"withRules": …, "withoutRules": …}.
import { createNetworkManager } from '../../src/network/index.ts';
import { chainNames } from '../../src/network/names.ts';
import { probe, sh } from './netns.ts';

const [root = '', tag = '', server = '', port = ''] = process.argv.slice(2);
const m = createNetworkManager({ root });
const net = await m.ensureNetwork({ id: `${tag}_default`, internal: false });
const ns = `${tag}-c`;
await sh('ip', ['netns', 'add', ns]);
try {
  await m.attach(`/run/netns/${ns}`, net.id, { ifname: 'eth0', defaultRoute: true });
  const withRules = await probe(ns, ['ask-tcp', server, port, 'x']);
  const c = chainNames(net.bridge);
  await sh('iptables', ['-D', 'FORWARD', '-m', 'comment', '--comment', c.comment, '-j', c.forward]);
  const withoutRules = await probe(ns, ['ask-tcp', server, port, 'x']);
  console.log(JSON.stringify({ withRules, withoutRules }));
} finally {
  await sh('ip', ['netns', 'del', ns]);
  await m.removeNetwork(net.id);
}
