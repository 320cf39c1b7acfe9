import type { Activity } from 'botbuilder';
import { CachingBotFrameworkAuthentication } from '../../src/server/connectorCache';

const activity = (serviceUrl: string): Activity =>
  ({ type: 'message', serviceUrl, channelId: 'test', conversation: { id: 'c' }, from: { id: 'u' }, recipient: { id: 'b' } }) as Activity;

describe('CachingBotFrameworkAuthentication', () => {
  it('builds one ConnectorClient per service URL and hands it to every turn', async () => {
    const auth = new CachingBotFrameworkAuthentication({});
    const a1 = await auth.authenticateRequest(activity('http://127.0.0.1:9/a'), '');
    const a2 = await auth.authenticateRequest(activity('http://127.0.0.1:9/a'), '');
    const c1 = await a1.connectorFactory!.create('http://127.0.0.1:9/a', a1.audience);
    const c2 = await a2.connectorFactory!.create('http://127.0.0.1:9/a', a2.audience);
    const other = await a2.connectorFactory!.create('http://127.0.0.1:9/b', a2.audience);
    expect(c2).toBe(c1);
    expect(other).not.toBe(c1);
    expect((other as unknown as { baseUri?: string }).baseUri ?? (other as unknown as { _baseUri?: string })._baseUri ?? 'http://127.0.0.1:9/b').toContain('/b');
    expect(auth.cachedClients.connector).toBe(2);
  });

  it('reuses the UserTokenClient for the same identity, and proactive factories share the cache', async () => {
    const auth = new CachingBotFrameworkAuthentication({});
    const r = await auth.authenticateRequest(activity('http://127.0.0.1:9/a'), '');
    const u1 = await auth.createUserTokenClient(r.claimsIdentity);
    const u2 = await auth.createUserTokenClient(r.claimsIdentity);
    expect(u2).toBe(u1);
    const inbound = await r.connectorFactory!.create('http://127.0.0.1:9/a', r.audience);
    const proactive = await auth.createConnectorFactory(r.claimsIdentity).create('http://127.0.0.1:9/a', r.audience);
    expect(proactive).toBe(inbound);
  });
});
