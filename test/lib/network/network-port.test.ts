import { NetworkPort, NetworkProtocol } from '../../../lib';

describe('NetworkPort', () => {
  test('renders the port and its protocol as a NetworkPolicy port', () => {
    // when
    const ports = [NetworkPort.tcp(1), NetworkPort.udp(65535)];
    // then
    expect(ports.map((port) => port.render())).toEqual([
      { port: expect.objectContaining({ value: 1 }), protocol: 'TCP' },
      { port: expect.objectContaining({ value: 65535 }), protocol: 'UDP' },
    ]);
    expect(ports.map(String)).toEqual(['TCP 1', 'UDP 65535']);
  });

  test('compares by number and protocol', () => {
    expect(NetworkPort.tcp(53).equals(NetworkPort.tcp(53))).toBe(true);
    expect(NetworkPort.tcp(53).equals(NetworkPort.udp(53))).toBe(false);
    expect(NetworkPort.tcp(53).protocol).toBe(NetworkProtocol.TCP);
  });

  test.each([
    ['tcp', 0],
    ['tcp', 65536],
    ['udp', -1],
    ['udp', 53.5],
    ['tcp', Number.NaN],
  ] as const)('fails on %s port %s, naming the factory, the value and the fix', (protocol, port) => {
    expect(() => NetworkPort[protocol](port)).toThrow(
      `NetworkPort.${protocol}(port) must be a whole number from 1 to 65535, got ${port}. Fix: pass the port number the server listens on, e.g. 8080`,
    );
  });
});
