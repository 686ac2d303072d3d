// The record table: names per member, replicas sharing a name, replacement on restart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { memberNames, recordsOf } from '../../../src/network/index.ts';
import { RecordTable } from '../../../src/network/dns/index.ts';

test('a member answers to service, container name and aliases, plain and NAME.NETWORK', () => {
  const names = memberNames('web', 'shop-web-1', ['www', 'web']);
  assert.deepEqual(names, ['web', 'shop-web-1', 'www']);
  assert.deepEqual(
    [...recordsOf([{ names, network: 'front', address: '10.0.0.2' }]).keys()],
    ['web', 'shop-web-1', 'www', 'web.front', 'shop-web-1.front', 'www.front'],
  );
});

test('replicas share the service name; the table rotates and is replaced as containers change', () => {
  const members = [
    { names: memberNames('web', 'shop-web-1'), network: 'front', address: '10.0.0.2' },
    { names: memberNames('web', 'shop-web-2'), network: 'front', address: '10.0.0.3' },
  ];
  const recs = recordsOf(members);
  assert.deepEqual(recs.get('web'), ['10.0.0.2', '10.0.0.3']);
  assert.deepEqual(recs.get('shop-web-2.front'), ['10.0.0.3']);
  const table = new RecordTable(['front']);
  table.replace(recs);
  assert.deepEqual(table.lookup('web'), ['10.0.0.2', '10.0.0.3']);
  assert.deepEqual(table.lookup('WEB.'), ['10.0.0.3', '10.0.0.2']);
  // web-2 was recreated with a new address; web-1 stopped.
  table.replace(recordsOf([{ ...members[1]!, address: '10.0.0.9' }]));
  assert.deepEqual(table.lookup('web'), ['10.0.0.9']);
  assert.equal(table.lookup('shop-web-1'), undefined);
  assert.ok(table.isLocal('shop-web-1'), 'a vanished single-label name is still local (NXDOMAIN, not forwarded)');
  assert.ok(table.isLocal('db.front'));
  assert.ok(!table.isLocal('example.org'));
});

test('A and AAAA rotate apart: a resolver asking both per lookup still alternates replicas', () => {
  const table = new RecordTable(['front']);
  table.replace(new Map([['web', ['10.0.0.2', 'fd00::2', '10.0.0.3']]]));
  const v4 = (a: string): boolean => !a.includes(':');
  const firsts: string[] = [];
  for (let i = 0; i < 4; i++) {
    firsts.push(table.lookup('web', 'A', v4)![0]!);
    assert.deepEqual(
      table.lookup('web', 'AAAA', (a) => a.includes(':')),
      ['fd00::2'],
    );
  }
  assert.deepEqual(firsts, ['10.0.0.2', '10.0.0.3', '10.0.0.2', '10.0.0.3']);
});
