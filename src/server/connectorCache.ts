/**
 * Memory and speed: CloudAdapter asks its BotFrameworkAuthentication, on every turn, for a new ConnectorClient
 * (an Azure HTTP pipeline: policies, user-agent, sanitizer, credentials) and a new UserTokenClient (another
 * pipeline), even when the turn answers in the response body (expectReplies) and never calls out. Measured
 * under load, building them was about a quarter of everything the bot allocated per turn. Both clients are
 * stateless between requests (the credentials cache their own token), so this authentication builds each one
 * once per (bot app id, service URL, audience) and hands the same one to every turn.
 */
import {
  ConfigurationBotFrameworkAuthentication,
  type ConfigurationBotFrameworkAuthenticationOptions,
} from 'botbuilder';
import type { Activity } from 'botbuilder';
import {
  type AuthenticateRequestResult,
  type ClaimsIdentity,
  type ConnectorClient,
  ConnectorFactory,
  type UserTokenClient,
} from 'botframework-connector';

/** At most this many clients of each kind are kept (service URLs are few: one per channel and region). */
export const MAX_CACHED_CLIENTS = 64;

/** A bounded map, least recently used out first. */
class Lru<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly max: number) {}
  get size(): number {
    return this.map.size;
  }
  getOrCreate(key: string, create: () => V): V {
    const hit = this.map.get(key);
    if (hit !== undefined) {
      this.map.delete(key);
      this.map.set(key, hit);
      return hit;
    }
    const value = create();
    this.map.set(key, value);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value!);
    return value;
  }
  delete(key: string): void {
    this.map.delete(key);
  }
}

/** The bot's app id a connector factory was made for (ConnectorFactoryImpl keeps it as `appId`). */
function appIdOf(factory: ConnectorFactory): string {
  return String((factory as unknown as { appId?: string }).appId ?? '');
}

class CachingConnectorFactory extends ConnectorFactory {
  constructor(
    private readonly inner: ConnectorFactory,
    private readonly clients: Lru<Promise<ConnectorClient>>,
  ) {
    super();
  }

  create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
    const key = JSON.stringify([appIdOf(this.inner), serviceUrl, audience ?? null]);
    return this.clients.getOrCreate(key, () => {
      const client = this.inner.create(serviceUrl, audience);
      // a failed creation (e.g. credentials not obtainable) is not kept
      client.catch(() => this.clients.delete(key));
      return client;
    });
  }
}

export class CachingBotFrameworkAuthentication extends ConfigurationBotFrameworkAuthentication {
  private readonly connectorClients = new Lru<Promise<ConnectorClient>>(MAX_CACHED_CLIENTS);
  private readonly userTokenClients = new Lru<Promise<UserTokenClient>>(MAX_CACHED_CLIENTS);

  constructor(options: ConfigurationBotFrameworkAuthenticationOptions) {
    super(options);
  }

  /** How many clients are held (tests, diagnostics). */
  get cachedClients(): { connector: number; userToken: number } {
    return { connector: this.connectorClients.size, userToken: this.userTokenClients.size };
  }

  override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    const result = await super.authenticateRequest(activity, authHeader);
    if (!result.connectorFactory) return result;
    return { ...result, connectorFactory: new CachingConnectorFactory(result.connectorFactory, this.connectorClients) };
  }

  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return new CachingConnectorFactory(super.createConnectorFactory(claimsIdentity), this.connectorClients);
  }

  override createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    // the client depends on the identity only through the bot's app id, read as botframework-connector reads it
    // (the audience claim, else the appid claim)
    const key = JSON.stringify([claimsIdentity.getClaimValue('aud') ?? claimsIdentity.getClaimValue('appid') ?? null]);
    return this.userTokenClients.getOrCreate(key, () => {
      const client = super.createUserTokenClient(claimsIdentity);
      client.catch(() => this.userTokenClients.delete(key));
      return client;
    });
  }
}
