/**
 * A TCP proxy on 127.0.0.1 in front of a real server (PostgreSQL, SMTP, ...), with two kinds of outage:
 * - `cut()` drops every open connection and refuses new ones: the server "goes away" loudly (RST/FIN),
 *   the way a stopped server or a refused port looks;
 * - `blackhole()` is a silent network partition: packets vanish. Open connections stay open but nothing
 *   crosses them any more, in either direction; new connections are accepted (the handshake is the proxy's
 *   own) and then never answered. A connection silenced this way stays silent for good, even after
 *   `restore()` — as when a NAT or firewall on the path lost its state — so the client has to give it up.
 * `restore()` lets new connections through again.
 *
 * What a user-space proxy cannot imitate: the kernel still acknowledges segments and answers TCP keepalive
 * probes on the proxy's sockets, so a client's keepalive never fires here; only its own timeouts do.
 */
import net from 'node:net';

export type ProxyMode = 'up' | 'cut' | 'blackhole';

export interface TcpProxy {
  port: number;
  readonly mode: ProxyMode;
  cut(): void;
  blackhole(): void;
  restore(): void;
  close(): Promise<void>;
}

interface Pair {
  client: net.Socket;
  upstream?: net.Socket;
  silent: boolean;
}

/** Reads and discards whatever arrives: the bytes are "lost on the way". */
function swallow(socket: net.Socket): void {
  socket.removeAllListeners('data');
  socket.on('data', () => undefined);
  socket.resume();
}

export async function startTcpProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
  let mode: ProxyMode = 'up';
  const pairs = new Set<Pair>();

  const drop = (pair: Pair): void => {
    pair.client.destroy();
    pair.upstream?.destroy();
    pairs.delete(pair);
  };

  const silence = (pair: Pair): void => {
    if (pair.silent) return;
    pair.silent = true;
    if (pair.upstream) {
      pair.client.unpipe(pair.upstream);
      pair.upstream.unpipe(pair.client);
      swallow(pair.upstream);
    }
    swallow(pair.client);
  };

  // half-open allowed: a FIN from one end is passed on (by pipe) rather than answered by the proxy itself,
  // so a client closing a silenced connection politely gets no reply either
  const server = net.createServer({ allowHalfOpen: true }, (client) => {
    if (mode === 'cut') {
      client.destroy();
      return;
    }
    const pair: Pair = { client, silent: false };
    pairs.add(pair);
    // once silenced, neither end learns that the other went away (a partition hides FIN and RST as well):
    // the server keeps its session, and any transaction it had open, until its own timeouts end it
    const lost = (): void => (pair.silent ? undefined : drop(pair));
    client.on('error', lost).on('close', lost);
    if (mode === 'blackhole') {
      silence(pair);
      return;
    }
    const upstream = net.connect({ port: targetPort, host: targetHost, allowHalfOpen: true });
    pair.upstream = upstream;
    upstream.on('error', lost).on('close', lost);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  const cut = (): void => {
    mode = 'cut';
    for (const pair of [...pairs]) drop(pair);
  };
  return {
    port: (server.address() as net.AddressInfo).port,
    get mode() {
      return mode;
    },
    cut,
    blackhole() {
      mode = 'blackhole';
      for (const pair of pairs) silence(pair);
    },
    restore() {
      mode = 'up';
    },
    close() {
      cut();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
