// A container on several networks asks one responder (its primary network's) for every name:
// the responder answers that client, and only it, from its other networks' records too, after
// its own (issue 15). Real loopback sockets; the client is 127.0.0.1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Resolver } from 'node:dns/promises';
import { DnsServer } from '../../../src/network/dns/index.ts';

test('per-client records of the other networks: after the own table, for that client only', async (t) => {
  const dns = new DnsServer({ address: '127.0.0.1', port: 0, upstreams: [], localSuffixes: ['front'] });
  await dns.start();
  t.after(() => dns.close());
  dns.records.replace(
    new Map([
      ['web', ['10.1.0.2']],
      ['web.front', ['10.1.0.2']],
    ]),
  );
  const r = new Resolver({ timeout: 1000, tries: 1 });
  r.setServers([`127.0.0.1:${dns.port}`]);
  const back = new Map([
    ['db', ['10.2.0.5']],
    ['db.back', ['10.2.0.5']],
    ['web', ['10.2.0.9']],
  ]);

  await assert.rejects(r.resolve4('db'), { code: 'ENOTFOUND' }, 'without the extra table db is unknown');
  dns.setClientRecords(new Map([['127.0.0.2', back]]));
  await assert.rejects(r.resolve4('db'), { code: 'ENOTFOUND' }, "another client's table is not ours");

  dns.setClientRecords(new Map([['127.0.0.1', back]]));
  assert.deepEqual(await r.resolve4('db'), ['10.2.0.5'], 'a name only on the other network');
  assert.deepEqual(await r.resolve4('db.back'), ['10.2.0.5'], 'NAME.NETWORK of the other network');
  assert.deepEqual(await r.resolve4('web'), ['10.1.0.2'], "the network's own records come first");
  await assert.rejects(r.resolve4('nope'), { code: 'ENOTFOUND' });
  dns.setClientLinks(new Map([['127.0.0.1', new Map([['legacy', 'db']])]]));
  assert.deepEqual(await r.resolve4('legacy'), ['10.2.0.5'], 'a link to a service of the other network');

  dns.setClientRecords(new Map());
  await assert.rejects(r.resolve4('db'), { code: 'ENOTFOUND' }, 'gone once the client left the other network');
});
