// The live proxy, a source like a capture file: forward (HTTP and CONNECT-intercepted HTTPS) or reverse; it emits exchanges, it never judges.
import http from 'node:http';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import type { HttpExchange, TlsInfo } from '../model/index.js';
import { DEFAULT_BODY_CAP } from './body-capture.js';
import type { CaStore } from './ca-store.js';
import { forwardHeaders } from './forward-headers.js';
import { LeafCertificates } from './leaf-certificates.js';
import { endpointOf, headerPairs, PendingExchange, type ConnectionView } from './pending-exchange.js';
import { DEFAULT_TIMEOUTS, type ProxyTimeouts } from './timeouts.js';
import { describeUpstreamError } from './upstream-error.js';
import { hostForUrl, Upstreams, type UpstreamSettings, type UpstreamTarget } from './upstream.js';

export interface ProxyServerOptions {
  /** Address to listen on; 127.0.0.1 unless the user asks otherwise. */
  readonly host: string;
  /** 0 picks a free port (see `address`). */
  readonly port: number;
  readonly ca: CaStore;
  readonly upstream?: UpstreamSettings;
  /** Reverse mode: every request goes to this origin (`https://exchange.test:443`). */
  readonly reverse?: URL;
  /** Bytes of each body kept for inspection (default 1 MiB). */
  readonly bodyCap?: number;
  /** How long to wait before giving up (defaults: DEFAULT_TIMEOUTS). */
  readonly timeouts?: Partial<ProxyTimeouts>;
  /**
   * Receives every NSS key log line (SSLKEYLOGFILE format, with its newline) of both TLS legs:
   * client to proxy (the proxy is the TLS server) and proxy to server (the proxy is the client).
   */
  readonly keyLog?: (line: Buffer) => void;
}

/** Where a connection's requests go when the request target does not say (tunnels, reverse mode). */
interface Origin {
  readonly scheme: 'http' | 'https';
  readonly host: string;
  readonly port: number;
}

/** What keeps a client connection from being idle; shared by a tunnel and the TLS inside it. */
interface Activity {
  /** Requests waiting for or receiving their response. */
  inFlight: number;
  /** Upgraded (WebSocket): bytes pass through as long as both ends want; never idle-closed. */
  upgraded: boolean;
}

interface ConnectionInfo {
  readonly view: ConnectionView;
  readonly activity: Activity;
  /** The scheme the client speaks on this connection. */
  readonly clientScheme: 'http' | 'https';
  readonly origin?: Origin;
  readonly tlsSocket?: tls.TLSSocket;
  tls?: TlsInfo;
}

/**
 * A response is held back until it is complete or this many bytes have arrived, so that an
 * upstream failing early still gets the client a clear 502; beyond it bytes stream through.
 */
const HOLD_BYTES = 64 * 1024;

const TLS_VERSION_NAMES: Readonly<Record<string, string>> = { TLSv1: 'TLS 1.0', 'TLSv1.1': 'TLS 1.1', 'TLSv1.2': 'TLS 1.2', 'TLSv1.3': 'TLS 1.3' };

type Listener<T> = (value: T) => void;

/**
 * Subscribe with `onExchange` (each finished exchange, bodies included, for the Inspector) and
 * `onLog` (one line about the proxy itself: client TLS failures, upstream errors). A throwing
 * listener is logged, not fatal.
 */
export class ProxyServer {
  readonly #options: ProxyServerOptions;
  readonly #leaves: LeafCertificates;
  readonly #upstreams: Upstreams;
  readonly #http: http.Server;
  readonly #listener: net.Server;
  readonly #infos = new WeakMap<Duplex, ConnectionInfo>();
  readonly #sockets = new Set<net.Socket>();
  readonly #exchangeListeners: Listener<HttpExchange>[] = [];
  readonly #logListeners: Listener<string>[] = [];
  readonly #bodyCap: number;
  readonly #reverseOrigin: Origin | undefined;
  readonly #timeouts: ProxyTimeouts;
  /** Ends each exchange still in flight (what `close` does to them). */
  readonly #inFlight = new Set<() => void>();
  #connections = 0;

  private constructor(options: ProxyServerOptions, leaves: LeafCertificates) {
    this.#options = options;
    this.#leaves = leaves;
    this.#bodyCap = options.bodyCap ?? DEFAULT_BODY_CAP;
    this.#timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
    this.#upstreams = new Upstreams(options.upstream ?? { insecure: false }, options.keyLog);
    this.#reverseOrigin = options.reverse ? originOf(options.reverse) : undefined;
    this.#http = http.createServer({ keepAlive: true });
    this.#http.on('request', (req, res) => this.#onRequest(req, res));
    this.#http.on('connect', (req, socket, head) => this.#onConnect(req, socket, head));
    this.#http.on('upgrade', (req, socket, head) => this.#onUpgrade(req, socket, head));
    this.#http.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => this.#onClientError(error, socket));
    // With a listener the server no longer destroys a timed-out socket itself: a waiting client is kept.
    this.#http.on('timeout', (socket: Duplex) => this.#onTimeout(socket));
    // Forward mode: HTTP straight to the parser. Reverse mode: each connection may be TLS or not.
    this.#listener = this.#reverseOrigin
      ? net.createServer((socket) => this.#acceptReverse(socket))
      : this.#http;
    if (!this.#reverseOrigin) this.#http.on('connection', (socket: net.Socket) => this.#accept(socket));
  }

  /** Creates the leaf key (off the main thread), then listens. */
  static async start(options: ProxyServerOptions): Promise<ProxyServer> {
    const server = new ProxyServer(options, await LeafCertificates.create(options.ca));
    await new Promise<void>((resolve, reject) => {
      server.#listener.once('error', reject);
      server.#listener.listen({ host: options.host, port: options.port }, () => {
        server.#listener.off('error', reject);
        resolve();
      });
    });
    return server;
  }

  /** The address actually listened on. */
  get address(): { host: string; port: number } {
    const address = this.#listener.address() as net.AddressInfo;
    return { host: address.address, port: address.port };
  }

  onExchange(listener: Listener<HttpExchange>): this {
    this.#exchangeListeners.push(listener);
    return this;
  }

  onLog(listener: Listener<string>): this {
    this.#logListeners.push(listener);
    return this;
  }

  /** Stops listening and closes every connection; exchanges still in flight are emitted as they stand. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.#listener.close(() => resolve()));
    for (const stop of [...this.#inFlight]) stop();
    for (const socket of this.#sockets) socket.destroy();
    this.#upstreams.destroy();
    await closed;
  }

  #emit<T>(listeners: readonly Listener<T>[], value: T): void {
    for (const listener of listeners) {
      try {
        listener(value);
      } catch (error) {
        if (listeners !== this.#logListeners) this.#log(`listener failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  #log(line: string): void {
    this.#emit(this.#logListeners, line);
  }

  #exchangeDone(exchange: HttpExchange | undefined): void {
    if (exchange === undefined) return;
    this.#emit(this.#exchangeListeners, exchange);
  }

  /** A new client TCP connection: numbered, tracked until it closes, closed when idle. */
  #accept(socket: net.Socket): ConnectionInfo {
    const known = this.#infos.get(socket);
    if (known) return known;
    const info: ConnectionInfo = {
      view: { stream: this.#connections++, client: endpointOf(socket.remoteAddress, socket.remotePort), exchanges: 0 },
      activity: { inFlight: 0, upgraded: false },
      clientScheme: 'http',
    };
    this.#infos.set(socket, info);
    this.#sockets.add(socket);
    socket.once('close', () => this.#sockets.delete(socket));
    // Bytes through a TLS tunnel are bytes on this socket too: one timer covers both layers.
    socket.setTimeout(this.#timeouts.idleMs);
    socket.on('timeout', () => this.#onTimeout(socket));
    return info;
  }

  /** A client socket's timer ran out (ours, or the HTTP server's keep-alive timer): closed unless a request is in flight. */
  #onTimeout(socket: Duplex): void {
    const activity = this.#infos.get(socket)?.activity;
    if (activity === undefined || (activity.inFlight === 0 && !activity.upgraded)) socket.destroy();
  }

  #acceptReverse(socket: net.Socket): void {
    const info = this.#accept(socket);
    socket.on('error', () => socket.destroy());
    this.#serveTunnel(socket, Buffer.alloc(0), info, this.#reverseOrigin!, this.#reverseOrigin!.host, false);
  }

  /**
   * Serves HTTP on `socket` whose first bytes decide: a TLS ClientHello is intercepted with a
   * certificate for the SNI name (else `certificateHost`), anything else is parsed as plain HTTP.
   * In a CONNECT tunnel the server is spoken to as the client spoke (`upstreamFollowsClient`).
   */
  #serveTunnel(socket: net.Socket, head: Buffer, parent: ConnectionInfo, origin: Origin, certificateHost: string, upstreamFollowsClient: boolean): void {
    const serve = (first: Buffer): void => {
      socket.pause();
      if (first.length > 0) socket.unshift(first);
      if (first[0] === 0x16) {
        const secure = new tls.TLSSocket(socket, {
          isServer: true,
          secureContext: this.#leaves.contextFor(certificateHost),
          SNICallback: (name, callback) => callback(null, this.#leaves.contextFor(name)),
          ALPNProtocols: ['http/1.1'],
        });
        if (this.#options.keyLog) secure.on('keylog', this.#options.keyLog);
        const upstream: Origin = upstreamFollowsClient ? { ...origin, scheme: 'https' } : origin;
        this.#infos.set(secure, { view: parent.view, activity: parent.activity, clientScheme: 'https', origin: upstream, tlsSocket: secure });
        this.#http.emit('connection', secure);
      } else {
        this.#infos.set(socket, { view: parent.view, activity: parent.activity, clientScheme: 'http', origin });
        this.#http.emit('connection', socket);
        socket.resume();
      }
    };
    if (head.length > 0) serve(head);
    else socket.once('data', serve);
  }

  #onConnect(req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
    const raw = socket as net.Socket;
    const info = this.#infos.get(raw) ?? this.#accept(raw);
    const authority = parseAuthority(req.url ?? '', 443);
    if (!authority) {
      raw.end('HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\noauth-inspect proxy: CONNECT needs host:port\n');
      return;
    }
    raw.on('error', () => raw.destroy());
    // The HTTP server cleared the socket's timer when it handed the tunnel over.
    raw.setTimeout(this.#timeouts.idleMs);
    raw.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    // What follows decides the scheme towards the server: TLS is intercepted and re-encrypted.
    this.#serveTunnel(raw, head, info, { scheme: 'http', ...authority }, authority.host, true);
  }

  #onClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
    const info = this.#infos.get(socket);
    if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE') {
      const who = info ? `s${info.view.stream} ${info.view.client.ip}:${info.view.client.port}` : 'client';
      const hint = info?.tlsSocket ? ' (does the client trust the CA? see `oauth-inspect ca`)' : '';
      this.#log(`${who}: ${error.message}${hint}`);
    }
    if (socket.writable && (error.code === 'HPE_HEADER_OVERFLOW' || error.code?.startsWith('HPE_'))) {
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    } else socket.destroy();
  }

  #infoOf(socket: Duplex): ConnectionInfo {
    return this.#infos.get(socket) ?? this.#accept(socket as net.Socket);
  }

  #tlsInfo(info: ConnectionInfo): TlsInfo | undefined {
    const secure = info.tlsSocket;
    if (!secure) return undefined;
    if (info.tls) return info.tls;
    const protocol = secure.getProtocol();
    const cipher = secure.getCipher() as tls.CipherNameAndProtocol | undefined;
    const sni = (secure as tls.TLSSocket & { servername?: string | false }).servername;
    info.tls = {
      ...(protocol ? { version: TLS_VERSION_NAMES[protocol] ?? protocol } : {}),
      ...(cipher ? { cipherSuite: cipher.standardName } : {}),
      ...(sni ? { sni } : {}),
      ...(secure.alpnProtocol ? { alpn: secure.alpnProtocol } : {}),
    };
    return info.tls;
  }

  /**
   * The upstream request target, or why the request cannot be proxied. An absolute-form target
   * also gives the Host to send: its authority (without userinfo), whatever Host the client sent.
   */
  #targetOf(req: http.IncomingMessage, info: ConnectionInfo): (UpstreamTarget & { readonly authority?: string }) | string {
    const uri = req.url ?? '';
    if (info.origin) return { ...info.origin, path: uri };
    const absolute = /^(https?):\/\/([^/?#]+)(.*)$/i.exec(uri);
    if (absolute) {
      const scheme = absolute[1]!.toLowerCase() as 'http' | 'https';
      const hostPort = absolute[2]!.slice(absolute[2]!.lastIndexOf('@') + 1);
      const authority = parseAuthority(hostPort, scheme === 'https' ? 443 : 80);
      if (!authority) return `bad request target ${JSON.stringify(uri)}`;
      const rest = absolute[3] ?? '';
      return { scheme, ...authority, path: rest.startsWith('/') ? rest : `/${rest}`, authority: hostPort };
    }
    return 'this is a proxy: send absolute-form requests (http://host/path) or CONNECT, or start it with --reverse';
  }

  #onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    const info = this.#infoOf(req.socket);
    const target = this.#targetOf(req, info);
    if (typeof target === 'string') {
      plainReply(res, 400, `oauth-inspect proxy: ${target}\n`);
      return;
    }
    const pending = new PendingExchange(info.view, req, info.clientScheme, this.#tlsInfo(info), { ip: '', port: target.port }, this.#bodyCap);
    const where = `${target.scheme}://${hostForUrl(target.host)}:${target.port}`;
    const upstream = this.#upstreams.request(target, req.method ?? 'GET', forwardHeaders(req.rawHeaders, { transferEncoding: true, ...(target.authority ? { host: target.authority } : {}) }));
    let response: http.IncomingMessage | undefined;
    let committed = false;
    let held: Buffer[] = [];
    let heldBytes = 0;
    let done = false;
    const activity = info.activity;
    activity.inFlight++;
    const finish = (complete: boolean): void => {
      if (done) return;
      done = true;
      activity.inFlight--;
      clearTimeout(connectTimer);
      this.#inFlight.delete(stopped);
      this.#exchangeDone(pending.finish(complete));
    };
    const failed = (status: 502 | 504, reason: string): void => {
      this.#log(`${req.method ?? ''} ${where}: ${reason}`);
      pending.note(status === 504 ? 'upstream-timeout' : 'upstream-failed', `upstream ${where}: ${reason}`);
      if (!res.headersSent) plainReply(res, status, `oauth-inspect proxy: upstream ${where}: ${reason}\n`);
      else res.destroy();
      response?.destroy();
      upstream.destroy();
      finish(false);
    };
    const badGateway = (reason: string): void => failed(502, reason);
    const stopped = (): void => {
      pending.note('proxy-stopped', 'the proxy stopped before the exchange was complete');
      finish(false);
    };
    this.#inFlight.add(stopped);
    const connectTimer = setTimeout(() => badGateway(`not connected within ${seconds(this.#timeouts.connectMs)} (--connect-timeout)`), this.#timeouts.connectMs);
    upstream.on('socket', (socket: net.Socket) => {
      if (upstream.reusedSocket || (target.scheme === 'http' && !socket.connecting)) clearTimeout(connectTimer);
      else socket.once(target.scheme === 'https' ? 'secureConnect' : 'connect', () => clearTimeout(connectTimer));
    });
    // Silence from the server, once connected: before the response head a 504, within the body a cut response.
    upstream.setTimeout(this.#timeouts.upstreamMs, () => {
      if (done) return;
      const limit = `${seconds(this.#timeouts.upstreamMs)} (--upstream-timeout)`;
      failed(504, response ? `the response body stalled for ${limit}` : `no response within ${limit}`);
    });
    const resumeUpstream = (): void => {
      response?.resume();
    };
    const commit = (): boolean => {
      committed = true;
      const upstreamResponse = response!;
      try {
        res.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.statusMessage || undefined, forwardHeaders(upstreamResponse.rawHeaders) as unknown as http.OutgoingHttpHeaders);
      } catch (error) {
        badGateway(`unforwardable response head: ${error instanceof Error ? error.message : String(error)}`);
        return false;
      }
      let flowing = true;
      for (const chunk of held) flowing = res.write(chunk);
      held = [];
      return flowing;
    };

    req.on('data', (chunk: Buffer) => pending.requestBody.add(chunk));
    req.on('end', () => pending.requestEnded());
    req.on('close', () => {
      if (req.complete || done) return;
      pending.note('client-aborted', 'the client closed the connection before the request was complete');
      upstream.destroy();
      finish(false);
    });
    res.on('close', () => {
      if (res.writableFinished || done) return;
      if (req.complete) pending.note('client-closed', 'the client closed the connection before the response was complete');
      else pending.note('client-aborted', 'the client closed the connection before the request was complete');
      response?.destroy();
      upstream.destroy();
      finish(false);
    });
    req.pipe(upstream);
    upstream.on('information', (interim) => pending.interim(interim.statusCode, interim.statusMessage, interim.rawHeaders));
    upstream.on('error', (error) => {
      if (done) return;
      badGateway(response ? 'connection broke in the middle of the response body' : describeUpstreamError(error));
    });
    upstream.on('response', (upstreamResponse: http.IncomingMessage) => {
      response = upstreamResponse;
      pending.responseStarted(upstreamResponse);
      pending.connectedTo(endpointOf(upstreamResponse.socket.remoteAddress, upstreamResponse.socket.remotePort));
      upstreamResponse.on('data', (chunk: Buffer) => {
        pending.responseBody.add(chunk);
        if (committed) {
          if (!res.write(chunk)) {
            upstreamResponse.pause();
            res.once('drain', resumeUpstream);
          }
          return;
        }
        held.push(chunk);
        heldBytes += chunk.length;
        if (heldBytes >= HOLD_BYTES && !commit() && !done) {
          upstreamResponse.pause();
          res.once('drain', resumeUpstream);
        }
      });
      upstreamResponse.on('end', () => {
        if (done) return;
        if (!committed && !commit()) return;
        res.end();
        finish(true);
      });
      upstreamResponse.on('error', () => undefined);
      upstreamResponse.on('close', () => {
        if (!upstreamResponse.complete && !done) badGateway('connection broke in the middle of the response body');
      });
    });
  }

  /** WebSocket (or any Upgrade): the handshake is recorded, then bytes pass through both ways untouched. */
  #onUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
    const info = this.#infoOf(socket);
    info.activity.upgraded = true;
    socket.on('error', () => socket.destroy());
    const target = this.#targetOf(req, info);
    if (typeof target === 'string') {
      socket.end(rawPlainReply(400, `oauth-inspect proxy: ${target}\n`));
      return;
    }
    const pending = new PendingExchange(info.view, req, info.clientScheme, this.#tlsInfo(info), { ip: '', port: target.port }, this.#bodyCap);
    pending.requestEnded();
    const where = `${target.scheme}://${hostForUrl(target.host)}:${target.port}`;
    const upstream = this.#upstreams.request(target, req.method ?? 'GET', forwardHeaders(req.rawHeaders, { upgrade: true, ...(target.authority ? { host: target.authority } : {}) }));
    let done = false;
    const finish = (complete: boolean): void => {
      if (done) return;
      done = true;
      this.#exchangeDone(pending.finish(complete));
    };
    upstream.on('upgrade', (response: http.IncomingMessage, upstreamSocket: Duplex, upstreamHead: Buffer) => {
      pending.responseStarted(response);
      pending.connectedTo(endpointOf(response.socket.remoteAddress, response.socket.remotePort));
      socket.write(responseHead(response, response.rawHeaders));
      if (upstreamHead.length > 0) socket.write(upstreamHead);
      if (head.length > 0) upstreamSocket.write(head);
      const closeBoth = (): void => {
        socket.destroy();
        upstreamSocket.destroy();
      };
      upstreamSocket.on('error', closeBoth);
      upstreamSocket.on('close', closeBoth);
      socket.on('close', closeBoth);
      upstreamSocket.pipe(socket);
      socket.pipe(upstreamSocket);
      finish(true);
    });
    upstream.on('response', (response: http.IncomingMessage) => {
      // Upgrade refused: pass the answer on and close (the body is delimited by the close).
      pending.responseStarted(response);
      socket.write(responseHead(response, [...stripContentLength(forwardHeaders(response.rawHeaders)), 'Connection', 'close']));
      response.on('data', (chunk: Buffer) => {
        pending.responseBody.add(chunk);
        socket.write(chunk);
      });
      response.on('end', () => {
        socket.end();
        finish(true);
      });
    });
    upstream.on('error', (error) => {
      if (done) return;
      const reason = describeUpstreamError(error);
      this.#log(`${req.method ?? ''} ${where} (upgrade): ${reason}`);
      pending.note('upstream-failed', `upstream ${where}: ${reason}`);
      if (socket.writable) socket.end(rawPlainReply(502, `oauth-inspect proxy: upstream ${where}: ${reason}\n`));
      finish(false);
    });
    upstream.end();
  }
}

function seconds(ms: number): string {
  return `${ms / 1000} s`;
}

function originOf(url: URL): Origin {
  const scheme = url.protocol === 'https:' ? 'https' : 'http';
  return { scheme, host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port || (scheme === 'https' ? 443 : 80)) };
}

/** `host:port`, `[v6]:port` or `host` (default port); undefined when malformed. */
function parseAuthority(authority: string, defaultPort: number): { host: string; port: number } | undefined {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+))(?::(\d{1,5}))?$/.exec(authority);
  if (!match) return undefined;
  const port = match[3] === undefined ? defaultPort : Number(match[3]);
  if (port < 1 || port > 65535) return undefined;
  return { host: match[1] ?? match[2]!, port };
}

function stripContentLength(flat: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) if (flat[i]!.toLowerCase() !== 'content-length') out.push(flat[i]!, flat[i + 1]!);
  return out;
}

function responseHead(response: http.IncomingMessage, flatHeaders: readonly string[]): string {
  let head = `HTTP/1.1 ${response.statusCode ?? 502} ${response.statusMessage ?? ''}\r\n`;
  for (const [name, value] of headerPairs(flatHeaders)) head += `${name}: ${value}\r\n`;
  return `${head}\r\n`;
}

function plainReply(res: http.ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function rawPlainReply(status: number, text: string): string {
  const reason = http.STATUS_CODES[status] ?? '';
  return `HTTP/1.1 ${status} ${reason}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`;
}
