import { parseCidr } from '../../../lib';

describe('parseCidr', () => {
  test.each([
    ['10.0.0.0/8', '10.0.0.0/8', 4, 8],
    ['192.168.1.7/32', '192.168.1.7/32', 4, 32],
    ['10.0.0.0/08', '10.0.0.0/8', 4, 8],
    ['FD00:0:0::/8', 'fd00::/8', 6, 8],
    ['2001:db8:0:0:1:0:0:0/96', '2001:db8:0:0:1::/96', 6, 96],
    ['2001:db8:0:0:1:0:0:1/128', '2001:db8::1:0:0:1/128', 6, 128],
    ['2001:0db8:0001:0002:0003:0004:0005:0006/128', '2001:db8:1:2:3:4:5:6/128', 6, 128],
    ['2001:db8::1/128', '2001:db8::1/128', 6, 128],
  ] as const)('reads %s as %s', (value, text, family, prefix) => {
    expect(parseCidr(value, 'cidr')).toEqual({ text, family, prefix, everything: false });
  });

  test('knows every address when it sees it', () => {
    expect(parseCidr('0.0.0.0/0', 'cidr').everything).toBe(true);
    expect(parseCidr('::/0', 'cidr').everything).toBe(true);
  });

  test.each([
    ['10.0.0.0', 'a CIDR is an address, a slash and a prefix length'],
    ['10.0.0.0/', 'a CIDR is an address, a slash and a prefix length'],
    [' 10.0.0.0/8', 'a CIDR is an address, a slash and a prefix length'],
    ['10.0.0/8', "'10.0.0' is not an IPv4 or IPv6 address"],
    ['example.com/8', "'example.com' is not an IPv4 or IPv6 address"],
    ['fe80::1%eth0/64', "'fe80::1%eth0' is not an IPv4 or IPv6 address"],
    ['::ffff:10.0.0.0/104', "'::ffff:10.0.0.0' is an IPv4 address written as IPv6"],
    ['::ffff:a00:0/104', "'::ffff:a00:0' is an IPv4 address written as IPv6"],
    ['10.0.0.0/33', 'an IPv4 prefix is 0 to 32, got 33'],
    ['fd00::/129', 'an IPv6 prefix is 0 to 128, got 129'],
    ['10.1.0.0/8', 'bits after /8 are set, so it names the network 10.0.0.0/8'],
    ['fd00::1/64', 'bits after /64 are set, so it names the network fd00::/64'],
  ])('fails on %s: %s', (value, why) => {
    expect(() => parseCidr(value, 'egress peer')).toThrow(
      `egress peer: '${value}' is not a CIDR: ${why}. Fix: `,
    );
  });
});
