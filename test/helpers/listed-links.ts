// Whether the host lists a link, as netlink (`ip link`, /proc/net/dev) does. A deleted link leaves
// that list when the kernel unlists it and /sys/class/net only after the kernel's RCU wait, which a
// teardown no longer waits out (network/ip-delete-batch.ts): a host-clean check right after a
// teardown reads this list, not sysfs.
import { readFileSync } from 'node:fs';

export function linkListed(name: string): boolean {
  return readFileSync('/proc/net/dev', 'latin1')
    .split('\n')
    .slice(2)
    .some((row) => row.slice(0, row.indexOf(':')).trim() === name);
}
