// Connections from the proxy to servers: keep-alive pools, TLS verification, and an optional upstream proxy.
import http from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';

/** Where one request goes: the origin server and the request target to send it. */
export interface UpstreamTarget {
  readonly scheme: 'http' | 'https';
  readonly host: string;
  readonly port: number;
  /** Origin-form target (path and query). */
  readonly path: string;
}

export interface UpstreamSettings {
  /** Skip verification of servers' TLS certificates. */
  readonly insecure: boolean;
  /** An HTTP proxy (`http://host:port`) that every request goes through. */
  readonly via?: URL;
  /** Extra trusted CA certificates (PEM), added to Node's roots. */
  readonly extraCa?: readonly string[];
}

const POOL = { keepAlive: true, maxFreeSockets: 256, scheduling: 'lifo' } as const;

/**
 * HTTPS through an HTTP proxy: each pooled connection is a CONNECT tunnel, then TLS to the origin.
 * Connections stay pooled per origin like direct ones.
 */
class TunnelingAgent extends https.Agent {
  readonly #via: URL;

  constructor(via: URL, options: https.AgentOptions) {
    super(options);
    this.#via = via;
  }

  override createConnection(options: https.RequestOptions, callback?: (err: Error | null, stream: Duplex) => void): undefined {
    const authority = `${options.host ?? 'localhost'}:${options.port ?? 443}`;
    const connect = http.request({
      host: this.#via.hostname.replace(/^\[|\]$/g, ''),
      port: Number(this.#via.port || 80),
      method: 'CONNECT',
      path: authority,
      headers: { host: authority },
      agent: false,
    });
    connect.once('connect', (response, socket) => {
      if (response.statusCode !== 200) {
        socket.destroy();
        callback?.(new Error(`upstream proxy ${this.#via.host} answered CONNECT with ${response.statusCode ?? '?'}`), socket);
        return;
      }
      callback?.(null, tls.connect({ ...(options as tls.ConnectionOptions), socket }));
    });
    connect.once('error', (error) => callback?.(error, connect.socket as Duplex));
    connect.end();
    return undefined;
  }
}

/** The pools the proxy sends requests through; `destroy()` closes every pooled connection. */
export class Upstreams {
  readonly #http: http.Agent;
  readonly #https: https.Agent;
  readonly #via: URL | undefined;

  /** `keyLog` receives the NSS key log lines of every TLS connection to a server. */
  constructor(settings: UpstreamSettings, keyLog?: (line: Buffer) => void) {
    this.#via = settings.via;
    const tlsOptions: https.AgentOptions = {
      ...POOL,
      rejectUnauthorized: !settings.insecure,
      // One context, not a `ca` option: the agent would serialise every CA into each request's pool key.
      ...(settings.extraCa?.length ? { secureContext: tls.createSecureContext({ ca: [...tls.rootCertificates, ...settings.extraCa] }) } : {}),
    };
    this.#http = new http.Agent(POOL);
    this.#https = settings.via ? new TunnelingAgent(settings.via, tlsOptions) : new https.Agent(tlsOptions);
    // The agent forwards the 'keylog' events of every socket it pools, tunnelled ones included.
    if (keyLog) this.#https.on('keylog', keyLog);
  }

  /** A request to `target` (not yet sent); headers as flat raw [name, value, …] pairs. */
  request(target: UpstreamTarget, method: string, headers: string[]): http.ClientRequest {
    if (target.scheme === 'https') {
      return https.request({ host: target.host, port: target.port, path: target.path, method, headers: headers as unknown as http.OutgoingHttpHeaders, agent: this.#https, setHost: false });
    }
    if (this.#via) {
      // Plain HTTP through a proxy: absolute-form target to the proxy.
      const path = `http://${hostForUrl(target.host)}:${target.port}${target.path}`;
      return http.request({ host: this.#via.hostname.replace(/^\[|\]$/g, ''), port: Number(this.#via.port || 80), path, method, headers: headers as unknown as http.OutgoingHttpHeaders, agent: this.#http, setHost: false });
    }
    return http.request({ host: target.host, port: target.port, path: target.path, method, headers: headers as unknown as http.OutgoingHttpHeaders, agent: this.#http, setHost: false });
  }

  destroy(): void {
    this.#http.destroy();
    this.#https.destroy();
  }
}

/** `host` as it goes in a URL authority: IPv6 literals in brackets. */
export function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
