import { isIPv4, isIPv6 } from "node:net";

/**
 * An IP address with its host part zeroed, as analytics tools anonymise: IPv4 keeps the /24 network, IPv6 the
 * /48 (a site). Enough to see "one network", not one machine. Anything that is not an address (Keycloak writes
 * whatever the proxy forwarded) becomes null rather than being stored as is.
 */
export function truncateIp(value: string | null | undefined, v4Bits = 24, v6Bits = 48): string | null {
  if (!value) return null;
  const ip = value.trim();
  if (isIPv4(ip)) return maskV4(ip, v4Bits);
  const mapped = ip.match(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i)?.[1];
  if (mapped && isIPv4(mapped)) return maskV4(mapped, v4Bits);
  if (isIPv6(ip)) return maskV6(ip, v6Bits);
  return null;
}

function maskV4(ip: string, bits: number): string {
  const n = ip.split(".").reduce((acc, part) => acc * 256 + Number(part), 0);
  const kept = bits === 0 ? 0 : Math.floor(n / 2 ** (32 - bits)) * 2 ** (32 - bits);
  return [24, 16, 8, 0].map((s) => Math.floor(kept / 2 ** s) % 256).join(".");
}

function maskV6(ip: string, bits: number): string {
  const groups = expandV6(ip.split("%")[0] ?? ip);
  const out = groups.map((g, i) => {
    const start = i * 16;
    if (start + 16 <= bits) return g;
    if (start >= bits) return 0;
    const keep = bits - start;
    return g & (0xffff << (16 - keep)) & 0xffff;
  });
  return compressV6(out);
}

function expandV6(ip: string): number[] {
  const [head = "", tail] = ip.split("::");
  const parse = (s: string) => (s ? s.split(":").map((g) => Number.parseInt(g, 16) || 0) : []);
  const h = parse(head);
  const t = tail === undefined ? [] : parse(tail);
  return [...h, ...Array(8 - h.length - t.length).fill(0), ...t];
}

function compressV6(groups: number[]): string {
  // Compress the longest run of zero groups, as RFC 5952 prescribes.
  let best = { start: -1, len: 0 };
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.len && j - i > 1) best = { start: i, len: j - i };
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.start < 0) return hex.join(":");
  return `${hex.slice(0, best.start).join(":")}::${hex.slice(best.start + best.len).join(":")}`;
}
