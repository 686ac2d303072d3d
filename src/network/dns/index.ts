// The service-discovery DNS server, the supervisor's part of the network module (kept out of
// network/index.ts, which every command loads).
export { DnsServer, type DnsServerOptions } from './server.ts';
export { RecordTable } from './records.ts';
