import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * Addresses a webhook may not reach unless the administrator allows it: this network, private ranges (RFC 1918,
 * RFC 4193), carrier-grade NAT, loopback, link-local (cloud metadata services live at 169.254.169.254),
 * benchmarking, multicast and reserved ranges; in IPv6 also the forms that carry an IPv4 address (mapped, NAT64),
 * checked as that address.
 */
const refused = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  refused.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
  ['2001:db8::', 32],
  ['100::', 64],
] as const) {
  refused.addSubnet(network, prefix, 'ipv6');
}

/** The IPv4 address inside an IPv4-mapped (::ffff:a.b.c.d), compatible or NAT64 (64:ff9b::/96) IPv6 address. */
function embeddedIpv4(address: string): string | undefined {
  const lower = address.toLowerCase();
  const dotted = /^(?:::ffff:|::|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (dotted) return dotted[1];
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (!hex) return undefined;
  const high = Number.parseInt(hex[1] as string, 16);
  const low = Number.parseInt(hex[2] as string, 16);
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return !refused.check(address, 'ipv4');
  if (family !== 6) return false;
  const v4 = embeddedIpv4(address);
  if (v4) return !refused.check(v4, 'ipv4');
  return !refused.check(address, 'ipv6');
}

export type ResolveOutcome =
  | { ok: true; addresses: { address: string; family: 4 | 6 }[] }
  | { ok: false; code: 'WEBHOOK_HOST_UNRESOLVABLE' | 'WEBHOOK_ADDRESS_REFUSED' };

/**
 * Every address of `hostname`, or a refusal when any of them is not public (unless allowed): a name with one
 * public and one private address could otherwise be sent to the private one.
 */
export async function resolveEndpointHost(hostname: string, allowPrivate: boolean): Promise<ResolveOutcome> {
  const host = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
  let addresses: { address: string; family: 4 | 6 }[];
  if (isIP(host)) {
    addresses = [{ address: host, family: isIP(host) as 4 | 6 }];
  } else {
    try {
      addresses = (await lookup(host, { all: true, verbatim: true })).map((a) => ({
        address: a.address,
        family: a.family as 4 | 6,
      }));
    } catch {
      return { ok: false, code: 'WEBHOOK_HOST_UNRESOLVABLE' };
    }
  }
  if (addresses.length === 0) return { ok: false, code: 'WEBHOOK_HOST_UNRESOLVABLE' };
  if (!allowPrivate && !addresses.every((a) => isPublicAddress(a.address))) {
    return { ok: false, code: 'WEBHOOK_ADDRESS_REFUSED' };
  }
  return { ok: true, addresses };
}
