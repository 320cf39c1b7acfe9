import type { IncomingMessage } from 'node:http';
import { clientAddress } from '../../src/server/clientAddress';
import { ConfigError, loadConfig } from '../../src/config';

function req(remoteAddress: string, xff?: string): IncomingMessage {
  return { socket: { remoteAddress }, connection: { remoteAddress }, headers: xff ? { 'x-forwarded-for': xff } : {} } as unknown as IncomingMessage;
}

describe('clientAddress', () => {
  test('without trusted proxies the socket address is the client, whatever X-Forwarded-For says', () => {
    expect(clientAddress(req('203.0.113.9', '1.2.3.4'), { TRUSTED_PROXIES: '' })).toBe('203.0.113.9');
  });
  test('a hop count believes that many hops from the nearest', () => {
    expect(clientAddress(req('10.0.0.1', '6.6.6.6, 1.2.3.4'), { TRUSTED_PROXIES: '1' })).toBe('1.2.3.4');
    expect(clientAddress(req('10.0.0.1', '6.6.6.6, 1.2.3.4, 10.0.0.2'), { TRUSTED_PROXIES: '2' })).toBe('1.2.3.4');
  });
  test('an address list believes only those proxies; a spoofed leftmost entry is not taken', () => {
    const cfg = { TRUSTED_PROXIES: '10.0.0.0/8, 127.0.0.1' };
    expect(clientAddress(req('10.1.2.3', 'spoofed, 198.51.100.7'), cfg)).toBe('198.51.100.7');
    expect(clientAddress(req('198.51.100.8', '1.2.3.4'), cfg)).toBe('198.51.100.8');
  });
  test('an invalid TRUSTED_PROXIES stops start-up naming the variable', () => {
    expect(() => loadConfig({ TRUSTED_PROXIES: 'not-an-ip' })).toThrow(ConfigError);
    expect(() => loadConfig({ TRUSTED_PROXIES: 'not-an-ip' })).toThrow(/TRUSTED_PROXIES/);
  });
});
