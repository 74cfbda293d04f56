import { isIPv4, isIPv6 } from 'node:net';

/** An IP network, `address/prefix`, in the canonical form the Kubernetes API server expects. */
export interface Cidr {
  /** `10.0.0.0/8`, `fd00::/8`: lowercase, IPv6 compressed, no host bits. */
  readonly text: string;
  /** 4 or 6. */
  readonly family: 4 | 6;
  /** Length of the network part in bits. */
  readonly prefix: number;
  /** Whether it is every address of its family (`0.0.0.0/0`, `::/0`). */
  readonly everything: boolean;
}

const IPV4_BITS = 32;
const IPV6_BITS = 128;

function ipv4ToBits(address: string): bigint {
  return address.split('.').reduce((bits, octet) => (bits << 8n) | BigInt(Number(octet)), 0n);
}

function bitsToIpv4(bits: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => String((bits >> shift) & 0xffn)).join('.');
}

/** The eight 16-bit groups of an IPv6 address in hex notation (`isIPv6` already said it is one). */
function ipv6Groups(address: string): number[] {
  const [head, tail] = address.includes('::') ? address.split('::') : [address, undefined];
  const parse = (part: string | undefined): number[] =>
    part ? part.split(':').map((group) => parseInt(group, 16)) : [];
  const left = parse(head);
  const right = parse(tail);
  const zeros = tail === undefined ? [] : Array<number>(8 - left.length - right.length).fill(0);
  return [...left, ...zeros, ...right];
}

function ipv6ToBits(address: string): bigint {
  return ipv6Groups(address).reduce((bits, group) => (bits << 16n) | BigInt(group), 0n);
}

/** RFC 5952 text: lowercase, no leading zeros, the longest run of two or more zero groups as `::`. */
function bitsToIpv6(bits: bigint): string {
  const groups = Array.from({ length: 8 }, (_, index) =>
    Number((bits >> BigInt(112 - 16 * index)) & 0xffffn),
  );
  let best = { start: -1, length: 1 };
  for (let start = 0; start < 8; start++) {
    let length = 0;
    while (start + length < 8 && groups[start + length] === 0) length++;
    if (length > best.length) best = { start, length };
  }
  const hex = groups.map((group) => group.toString(16));
  if (best.start < 0) return hex.join(':');
  const head = hex.slice(0, best.start).join(':');
  const tail = hex.slice(best.start + best.length).join(':');
  return `${head}::${tail}`;
}

/**
 * Parses `value` as a CIDR (`10.0.0.0/8`, `fd00::/8`). Throws, naming `what`, the value and the fix,
 * when it is not one: no `/prefix`, an address that is not IPv4 or IPv6, a prefix out of range, or host
 * bits set after the prefix (`10.0.0.1/8`, which the API server reads as `10.0.0.0/8`: the error
 * suggests that network, so the intent is written down).
 */
export function parseCidr(value: string, what: string): Cidr {
  const fail = (why: string, fix: string): never => {
    throw new Error(`${what}: '${value}' is not a CIDR: ${why}. Fix: ${fix}`);
  };
  const match = /^([^/\s]+)\/(\d{1,3})$/.exec(value);
  if (!match)
    return fail('a CIDR is an address, a slash and a prefix length', "e.g. '10.0.0.0/8' or '10.1.2.3/32'");
  const [, address, prefixText] = match;
  const family = isIPv4(address) ? 4 : isIPv6(address) && !address.includes('%') ? 6 : undefined;
  if (!family) return fail(`'${address}' is not an IPv4 or IPv6 address`, "e.g. '10.0.0.0/8' or 'fd00::/8'");
  const width = family === 4 ? IPV4_BITS : IPV6_BITS;
  const prefix = Number(prefixText);
  if (prefix > width)
    return fail(`an IPv${family} prefix is 0 to ${width}, got ${prefix}`, `use a prefix up to /${width}`);

  if (family === 6 && (address.includes('.') || ipv6ToBits(address) >> 32n === 0xffffn)) {
    // The API server refuses IPv4-mapped IPv6 networks, which mean the IPv4 one anyway.
    return fail(
      `'${address}' is an IPv4 address written as IPv6`,
      "write the IPv4 network itself, e.g. '10.0.0.0/8'",
    );
  }
  const bits = family === 4 ? ipv4ToBits(address) : ipv6ToBits(address);
  const hostMask = (1n << BigInt(width - prefix)) - 1n;
  const network = bits & ~hostMask;
  const render = family === 4 ? bitsToIpv4 : bitsToIpv6;
  const text = `${render(network)}/${prefix}`;
  if (network !== bits) {
    return fail(
      `bits after /${prefix} are set, so it names the network ${text}`,
      `write the network '${text}', or '${render(bits)}/${width}' for that one address`,
    );
  }
  return { text, family, prefix, everything: prefix === 0 };
}
