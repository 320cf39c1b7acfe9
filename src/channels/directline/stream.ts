/**
 * The WebSocket stream of the bot's own Direct Line (the `streamUrl` of Direct Line 3.0), one per open
 * conversation, with the `ws` package. As the reference describes it ("Receive activities from the bot in
 * Direct Line API 3.0", learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-direct-line-3-0-receive-activities):
 *
 * - every message the server sends is an ActivitySet `{ activities, watermark }`, or an empty message: a
 *   heartbeat the client ignores (botframework-directlinejs skips messages with no data);
 * - "The service allows only 1 WebSocket connection per conversation": a second one for the same
 *   conversation (a reload of the page) closes the older one with reason "collision";
 * - typing activities go by WebSocket only (they are never stored, see `ephemeral`);
 * - the client sends nothing but empty keep-alive messages (botframework-directlinejs sends "" every 20 s):
 *   anything it sends is ignored, and a message over 1 KiB closes the socket.
 *
 * Where replies come from: everything the customer and the bot say is appended to the conversation in the
 * database (DirectLineStore), by this process or by any other (another instance, the staff CLI, a worker).
 * An append in this process wakes its stream at once (`notify`, with the stored activity's JSON and its
 * sequence number): when it follows what the stream has sent, it goes out from memory, with no database read
 * (a turn's echo and replies cost no query on the stream's side). Appends elsewhere are found by ONE short
 * database poll per process for all its open streams (`pollMs`, default 500 ms): the conversations updated
 * since the last poll that have an open stream here and activities past what it has sent.
 *
 * Each stream sends activities strictly in order with no gaps and no repeats: one pump per stream sends the
 * appends of this process held in memory when they continue its watermark, else reads the activities after
 * the last watermark it sent (the store makes seq N visible only once every seq < N is).
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Activity } from 'botbuilder';
import { type WebSocket, WebSocketServer } from 'ws';
import type { Logger } from '../../logging';
import { type DirectLineStore, MAX_ACTIVITIES_PER_POLL } from './store';

export interface StreamHubOptions {
  /** How often this process looks in the database for activities appended by other processes (ms). */
  pollMs?: number;
  /** How often an empty heartbeat and a ping go out; a socket that did not answer the last ping is closed (ms). */
  heartbeatMs?: number;
  /** How far back a poll looks past its last run, for clocks of other instances a little behind (ms). */
  clockSkewMs?: number;
  /** A socket whose unsent output exceeds this is closed (the client reconnects and catches up by watermark). */
  maxBufferedBytes?: number;
  now?: () => number;
}

interface Stream {
  ws: WebSocket;
  conversationId: string;
  /** The watermark (sequence number) of the last activity sent on this socket. */
  sent: number;
  /** When the conversation's lifetime ends (ms): the socket is closed then. */
  endsAt: number;
  alive: boolean;
  pumping: boolean;
  again: boolean;
  /** Appends of this process not sent yet (seq and stored JSON), at most MAX_FRESH. */
  fresh: Array<{ seq: number; json: string }>;
}

/** Appends held per stream for sending from memory; beyond it the stream reads the database. */
const MAX_FRESH = MAX_ACTIVITIES_PER_POLL;

const MAX_CLIENT_MESSAGE_BYTES = 1024;

export class StreamHub {
  private readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: MAX_CLIENT_MESSAGE_BYTES, clientTracking: false });
  private readonly open = new Map<string, Stream>();
  private readonly pollMs: number;
  private readonly heartbeatMs: number;
  private readonly clockSkewMs: number;
  private readonly maxBufferedBytes: number;
  private readonly now: () => number;
  private pollTimer?: NodeJS.Timeout;
  private heartbeatTimer?: NodeJS.Timeout;
  private polling = false;
  private lastPoll: number;
  private closed = false;

  constructor(
    private readonly store: DirectLineStore,
    private readonly log: Logger,
    options: StreamHubOptions = {},
  ) {
    this.pollMs = options.pollMs ?? 500;
    this.heartbeatMs = options.heartbeatMs ?? 30_000;
    this.clockSkewMs = options.clockSkewMs ?? 2_000;
    this.maxBufferedBytes = options.maxBufferedBytes ?? 1 << 20;
    this.now = options.now ?? Date.now;
    this.lastPoll = this.now();
  }

  /** Open streams in this process. */
  get size(): number {
    return this.open.size;
  }

  /**
   * Completes the WebSocket handshake of an authorised upgrade and starts streaming the conversation's
   * activities after `watermark` (undefined: only what is appended from now on).
   */
  accept(req: IncomingMessage, socket: Duplex, head: Buffer, conversationId: string, watermark: number | undefined, endsAt: number): void {
    if (this.closed) {
      socket.destroy();
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      void this.attach(ws, conversationId, watermark, endsAt);
    });
    // the upgrade router paused the socket so nothing was read before the handshake
    socket.resume();
  }

  private async attach(ws: WebSocket, conversationId: string, watermark: number | undefined, endsAt: number): Promise<void> {
    let start = watermark;
    if (start === undefined) {
      try {
        start = (await this.store.lastSeq(conversationId)) ?? 0;
      } catch (err) {
        this.log.warn({ err: { message: (err as Error).message } }, 'direct line stream: could not read the conversation; closing');
        ws.close(1011, 'unavailable');
        return;
      }
    }
    const stream: Stream = { ws, conversationId, sent: start, endsAt, alive: true, pumping: false, again: false, fresh: [] };
    const previous = this.open.get(conversationId);
    this.open.set(conversationId, stream);
    if (previous) previous.ws.close(1000, 'collision');
    ws.on('pong', () => (stream.alive = true));
    // the client's keep-alive ("") and anything else it sends: not read further
    ws.on('message', () => (stream.alive = true));
    ws.on('error', () => ws.terminate());
    ws.on('close', () => {
      if (this.open.get(conversationId) === stream) this.open.delete(conversationId);
    });
    this.ensureTimers();
    this.pump(stream);
  }

  /** Something was appended to the conversation in this process: its stream (if here) sends it now. */
  notify(conversationId: string, appended?: { seq: number; json: string }): void {
    const stream = this.open.get(conversationId);
    if (!stream) return;
    if (appended && appended.seq > stream.sent && stream.fresh.length < MAX_FRESH) stream.fresh.push(appended);
    this.pump(stream);
  }

  /**
   * The ActivitySet of the appends held in memory that continue the stream's watermark (sent + 1, + 2, …),
   * as the JSON activitiesAfter would give; undefined when the next one is not held (the database is read).
   */
  private fromMemory(stream: Stream): { message: string; watermark: number } | undefined {
    stream.fresh = stream.fresh.filter((f) => f.seq > stream.sent).sort((a, b) => a.seq - b.seq);
    const run: string[] = [];
    let next = stream.sent + 1;
    for (const f of stream.fresh) {
      if (f.seq !== next) break;
      run.push(f.json);
      next++;
    }
    if (run.length === 0) return undefined;
    const watermark = next - 1;
    return { message: `{"activities":[${run.join(',')}],"watermark":${JSON.stringify(String(watermark))}}`, watermark };
  }

  /** An activity that is not stored (typing): sent to the conversation's stream if it is open in this process. */
  ephemeral(conversationId: string, activity: Partial<Activity>): boolean {
    const stream = this.open.get(conversationId);
    if (!stream || stream.ws.readyState !== stream.ws.OPEN) return false;
    stream.ws.send(JSON.stringify({ activities: [activity] }));
    return true;
  }

  private pump(stream: Stream): void {
    if (stream.pumping) {
      stream.again = true;
      return;
    }
    stream.pumping = true;
    void (async () => {
      try {
        do {
          stream.again = false;
          if (stream.ws.readyState !== stream.ws.OPEN) return;
          const held = this.fromMemory(stream);
          let message: string;
          let watermark: number;
          if (held) {
            ({ message, watermark } = held);
          } else {
            const set = await this.store.activitiesAfter(stream.conversationId, stream.sent);
            if (set.activities.length === 0) continue;
            message = JSON.stringify(set);
            watermark = Number(set.watermark);
            if (set.activities.length >= MAX_ACTIVITIES_PER_POLL) stream.again = true;
          }
          if (stream.ws.readyState !== stream.ws.OPEN) return;
          stream.ws.send(message);
          stream.sent = watermark;
          if (stream.ws.bufferedAmount > this.maxBufferedBytes) {
            // a client that does not read: it reconnects and catches up from its watermark
            stream.ws.terminate();
            return;
          }
          // appends held past a gap (one written by another process): the next round reads the database
          if (stream.fresh.some((f) => f.seq > stream.sent)) stream.again = true;
        } while (stream.again);
      } catch (err) {
        // the next poll tries again
        this.log.warn({ err: { message: (err as Error).message } }, 'direct line stream: could not read activities');
      } finally {
        stream.pumping = false;
      }
    })();
  }

  private ensureTimers(): void {
    if (this.closed) return;
    this.pollTimer ??= setInterval(() => void this.poll(), this.pollMs).unref();
    this.heartbeatTimer ??= setInterval(() => this.heartbeat(), this.heartbeatMs).unref();
  }

  /** One query for every open stream of this process: which of their conversations have new activities. */
  async poll(): Promise<void> {
    if (this.polling || this.open.size === 0) return;
    this.polling = true;
    const startedAt = this.now();
    try {
      const changed = await this.store.updatedSince(this.lastPoll - this.clockSkewMs);
      this.lastPoll = startedAt;
      for (const { id, lastSeq } of changed) {
        const stream = this.open.get(id);
        if (stream && lastSeq > stream.sent) this.pump(stream);
      }
    } catch (err) {
      this.log.warn({ err: { message: (err as Error).message } }, 'direct line stream: poll failed');
    } finally {
      this.polling = false;
    }
  }

  private heartbeat(): void {
    const now = this.now();
    for (const stream of this.open.values()) {
      if (!stream.alive || now >= stream.endsAt) {
        // no answer to the last ping, or the conversation's lifetime is over: the client reconnects (and
        // then gets 403 for an expired conversation)
        if (now >= stream.endsAt) stream.ws.close(1000, 'expired');
        else stream.ws.terminate();
        continue;
      }
      stream.alive = false;
      stream.ws.ping();
      // the reference's heartbeat: an empty message
      stream.ws.send('');
    }
  }

  /** Closes every stream (going away: the clients reconnect to another instance) and stops the timers. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.pollTimer);
    clearInterval(this.heartbeatTimer);
    const sockets = [...this.open.values()].map((s) => s.ws);
    this.open.clear();
    for (const ws of sockets) ws.close(1001, 'going away');
    // a client that does not answer the close handshake is cut off soon after
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 1000);
      timer.unref();
      const waiting = sockets.filter((ws) => ws.readyState !== ws.CLOSED);
      if (waiting.length === 0) return clearTimeout(timer), resolve();
      let left = waiting.length;
      for (const ws of waiting) ws.once('close', () => --left === 0 && (clearTimeout(timer), resolve()));
    });
    for (const ws of sockets) if (ws.readyState !== ws.CLOSED) ws.terminate();
  }
}
