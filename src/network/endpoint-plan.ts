// An attach's plan, pure: each request checked against the network's record and given its address
// and veth names, one after the other, so a batch of attaches never hands out an address twice.
import { ConfigError, RuntimeError } from '../common/errors.ts';
import { allocateAddress } from './ipam.ts';
import { parseCidr, parseIpv4, formatIpv4 } from './cidr.ts';
import { vethName } from './names.ts';
import { type VethPlan, checkVethInputs, macOfAddress } from './veth.ts';
import type { AttachOptions, AttachResult, EndpointRecord, NetworkRecord } from './types.ts';

const planOf = (rec: NetworkRecord) => ({
  subnet: parseCidr(rec.subnet),
  gateway: parseIpv4(rec.gateway),
  ...(rec.ipRange ? { ipRange: parseCidr(rec.ipRange) } : {}),
});

export const withEndpoints = (rec: NetworkRecord, endpoints: readonly EndpointRecord[]): NetworkRecord => ({
  ...rec,
  endpoints,
});

/** Checks the request and picks the address; the caller holds the lock. */
function planVeth(rec: NetworkRecord, netnsPath: string, opts: AttachOptions): VethPlan {
  const bad = checkVethInputs({ ...opts, netnsPath });
  if (bad) throw new ConfigError(`network ${rec.id}: ${bad}`);
  if (rec.endpoints.some((e) => e.netnsPath === netnsPath && e.ifname === opts.ifname)) {
    throw new RuntimeError(`network ${rec.id}: ${netnsPath} already has ${opts.ifname} on this network`);
  }
  const plan = planOf(rec);
  const used = new Set(rec.endpoints.map((e) => parseIpv4(e.address)));
  const address = allocateAddress(rec.id, plan, used, opts.ipv4Address);
  return {
    hostVeth: vethName(),
    bridge: rec.bridge,
    netnsPath,
    ifname: opts.ifname,
    address,
    prefix: plan.subnet.prefix,
    gateway: plan.gateway,
    defaultRoute: opts.defaultRoute && !rec.internal, // internal: no route out, by construction
    ...(rec.mtu !== undefined ? { mtu: rec.mtu } : {}),
    macAddress: opts.macAddress ?? macOfAddress(address),
  };
}

export interface AttachRequest {
  readonly netnsPath: string;
  readonly opts: AttachOptions;
  readonly resolve: (r: AttachResult) => void;
  readonly reject: (e: unknown) => void;
}

export interface Planned {
  readonly req: AttachRequest;
  readonly veth: VethPlan;
  readonly ep: EndpointRecord;
  error?: unknown;
}

/** Plans every request against the record (addresses picked one after the other); a bad one fails alone. */
export function planAll(rec: NetworkRecord, reqs: readonly AttachRequest[]): Planned[] {
  const planned: Planned[] = [];
  let endpoints = rec.endpoints;
  for (const req of reqs) {
    try {
      const veth = planVeth(withEndpoints(rec, endpoints), req.netnsPath, req.opts);
      const ep: EndpointRecord = {
        netnsPath: req.netnsPath,
        ifname: req.opts.ifname,
        address: formatIpv4(veth.address),
        hostVeth: veth.hostVeth,
        owner: req.opts.owner ?? req.netnsPath,
        pid: process.pid,
        state: 'attaching',
      };
      endpoints = [...endpoints, ep];
      planned.push({ req, veth, ep });
    } catch (e) {
      req.reject(e);
    }
  }
  return planned;
}
