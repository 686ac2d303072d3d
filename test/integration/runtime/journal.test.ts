// The runtime's event journal on the real kernel, without compose: the shim journals start and
// die (in that order even for a program that exits at once), the runtime create/kill/stop/
// destroy and exec, every line carrying the container's labels; recordEvent adds others' events.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readJournal } from '../../../src/runtime/index.ts';
import { fixture } from '../../helpers/rootfs-runtime.ts';

const isRoot = process.getuid?.() === 0;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('runtime lifecycle events land in the journal', { skip: !isRoot && 'needs root', timeout: 120_000 }, async (t) => {
  const f = fixture(t, 'journal');
  const quick = f.id('quick');
  await f.rt.create(quick, f.spec(['sh', '-c', 'exit 7'], { labels: { team: 'a' } }));
  await f.rt.start(quick);
  await f.rt.wait(quick, { timeoutMs: 20_000 });
  const long = await f.startDetached(['sleep', '1000'], { labels: { team: 'b' } });
  await f.rt.exec(long, { args: ['true'], env: ['PATH=/bin'], cwd: '/' });
  await f.rt.pause(long);
  await f.rt.resume(long);
  f.rt.recordEvent(long, 'restart'); // what the supervisor calls
  f.rt.kill(long, 'SIGKILL');
  await f.rt.wait(long, { timeoutMs: 20_000 });
  await f.rt.stop(long); // already exited: no kill, no stop
  await f.rt.delete(quick);
  for (let i = 0; i < 50 && !readJournal(f.rt.journal).some((e) => e.id === long && e.action === 'die'); i++)
    await sleep(100);
  const evs = readJournal(f.rt.journal);
  const of = (id: string) => evs.filter((e) => e.id === id).map((e) => e.action);
  assert.deepEqual(of(quick), ['create', 'start', 'die', 'destroy']);
  assert.equal(evs.find((e) => e.id === quick && e.action === 'die')!.attributes['exitCode'], '7');
  assert.ok(
    evs.filter((e) => e.id === quick).every((e) => e.attributes['team'] === 'a' && e.attributes['name'] === quick),
  );
  assert.deepEqual(of(long), [
    'create',
    'start',
    'exec_create: true',
    'exec_start: true',
    'pause',
    'unpause',
    'restart',
    'kill',
    'die',
  ]);
  assert.equal(evs.find((e) => e.id === long && e.action === 'kill')!.attributes['signal'], '9');
  assert.equal(evs.find((e) => e.id === long && e.action === 'die')!.attributes['exitCode'], '137');
  const times = evs.map((e) => Date.parse(e.time));
  assert.ok(
    times.every((x, i) => i === 0 || x >= times[i - 1]! - 5),
    'appended in time order',
  );
});
