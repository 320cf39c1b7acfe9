/**
 * The client's address of an HTTP request. X-Forwarded-For is believed only through the proxies named in
 * TRUSTED_PROXIES (a hop count, or addresses/CIDRs); without it the socket's address is the client, so a
 * customer cannot pick the address their limits are counted under. `proxy-addr` (Express's) does the
 * walking of the header from the nearest hop outwards.
 */
import proxyAddr from 'proxy-addr';
import type { IncomingMessage } from 'node:http';
import type { Config } from '../config';

export type TrustFunction = (address: string, hop: number) => boolean;

/** Parses TRUSTED_PROXIES: '' → trust nobody; '2' → the nearest two hops; 'a, b/24' → those addresses. Throws on a bad entry. */
export function compileTrust(setting: string): TrustFunction {
  const value = setting.trim();
  if (value === '') return () => false;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    return (_address, hop) => hop < hops;
  }
  const list = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return proxyAddr.compile(list);
}

const cache = new WeakMap<Config, TrustFunction>();

function trustOf(config: Pick<Config, 'TRUSTED_PROXIES'>): TrustFunction {
  const key = config as Config;
  let trust = cache.get(key);
  if (!trust) {
    trust = compileTrust(config.TRUSTED_PROXIES);
    cache.set(key, trust);
  }
  return trust;
}

/** The client's address ('unknown' when the socket has none, e.g. already closed). */
export function clientAddress(req: IncomingMessage, config: Pick<Config, 'TRUSTED_PROXIES'>): string {
  if (!req.socket?.remoteAddress) return 'unknown';
  return proxyAddr(req, trustOf(config));
}
