// Builds the responder's own answers: A/AAAA from the record table (TTL 0, so a restarted or
// recreated container is seen at once), NOERROR with no answer for other types of a known name
// (musl and glibc misbehave on NXDOMAIN there), NXDOMAIN for an unknown local name.
import * as dnsPacket from 'dns-packet';
import { isIPv4, isIPv6 } from 'node:net';
import type { RecordTable } from './records.ts';

const NXDOMAIN = 3;
const FORMERR = 1;
export const SERVFAIL = 2;
export const REFUSED = 5;
const UDP_LIMIT = 512; // without EDNS; larger answers are truncated and the client retries on TCP

export type Decision = { readonly kind: 'answer'; readonly packet: Buffer } | { readonly kind: 'forward' };

function reply(q: dnsPacket.DecodedPacket, rcode: number, answers: dnsPacket.Answer[] = []): dnsPacket.Packet {
  return {
    type: 'response',
    id: q.id ?? 0,
    flags:
      dnsPacket.AUTHORITATIVE_ANSWER |
      dnsPacket.RECURSION_AVAILABLE |
      ((q.flags ?? 0) & dnsPacket.RECURSION_DESIRED) |
      rcode,
    questions: q.questions ?? [],
    answers,
  };
}

function encodeFor(p: dnsPacket.Packet, tcp: boolean, limit: number): Buffer {
  const full = dnsPacket.encode(p);
  if (tcp || full.length <= limit) return full;
  return dnsPacket.encode({ ...p, answers: [], flags: (p.flags ?? 0) | dnsPacket.TRUNCATED_RESPONSE });
}

function udpLimit(q: dnsPacket.DecodedPacket): number {
  const opt = (q.additionals ?? []).find((a) => a.type === 'OPT') as { udpPayloadSize?: number } | undefined;
  return Math.max(UDP_LIMIT, opt?.udpPayloadSize ?? 0);
}

/**
 * `links`: the client's own aliases (lower case) → the name whose records answer for them.
 * `extra`: the client's names from its other networks, asked only when the network's own table
 * lacks the name (Docker's order: the network the query came in on first).
 */
export function decide(
  raw: Buffer,
  own: RecordTable,
  tcp: boolean,
  links?: ReadonlyMap<string, string>,
  extra?: RecordTable,
): Decision {
  let q: dnsPacket.DecodedPacket;
  try {
    q = dnsPacket.decode(raw);
  } catch {
    if (raw.length < 2) return { kind: 'answer', packet: Buffer.alloc(0) };
    return { kind: 'answer', packet: dnsPacket.encode({ type: 'response', id: raw.readUInt16BE(0), flags: FORMERR }) };
  }
  const question = q.questions?.[0];
  if (question === undefined) return { kind: 'forward' };
  const name = links?.get(question.name.toLowerCase().replace(/\.$/, '')) ?? question.name;
  const records = extra !== undefined && !own.has(name) && extra.has(name) ? extra : own;
  if (!records.isLocal(name)) return { kind: 'forward' };
  const wanted = question.type === 'A' ? isIPv4 : question.type === 'AAAA' ? isIPv6 : () => false;
  const addrs = records.lookup(name, question.type, wanted);
  if (addrs === undefined) return { kind: 'answer', packet: encodeFor(reply(q, NXDOMAIN), tcp, UDP_LIMIT) };
  const answers = addrs.map((data): dnsPacket.Answer => ({
    type: question.type as 'A' | 'AAAA',
    name: question.name,
    class: 'IN',
    ttl: 0,
    data,
  }));
  return { kind: 'answer', packet: encodeFor(reply(q, 0, answers), tcp, udpLimit(q)) };
}

/** An empty answer with rcode (SERVFAIL: no upstream answered; REFUSED: forwarding is off). */
export function failure(raw: Buffer, rcode: number): Buffer {
  try {
    return dnsPacket.encode(reply(dnsPacket.decode(raw), rcode));
  } catch {
    return Buffer.alloc(0);
  }
}
