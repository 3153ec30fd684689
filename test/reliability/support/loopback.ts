/** Loopback servers for the suite: a canary that counts every connection, and a rewriting proxy in front of an emulator. */
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface Canary {
  readonly url: string;
  readonly port: number;
  /** TCP connections accepted (a request that never gets past the TCP handshake still counts). */
  connections(): number;
  /** HTTP requests seen. */
  requests(): number;
  close(): Promise<void>;
}

const listen = async (server: Server, port = 0): Promise<number> => {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
};

const closeServer = (server: Server): Promise<void> =>
  new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });

/** A loopback HTTP server that must never be reached: it counts connections and requests, and answers 200. */
export async function startCanary(o: { port?: number } = {}): Promise<Canary> {
  let connections = 0;
  let requests = 0;
  const server = createServer((_req, res) => {
    requests += 1;
    res.end('canary');
  });
  server.on('connection', (_socket: Socket) => {
    connections += 1;
  });
  const port = await listen(server, o.port);
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    connections: () => connections,
    requests: () => requests,
    close: () => closeServer(server),
  };
}

/** What the proxy may do with an upstream answer. */
export interface ProxyReply {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export interface Proxy {
  readonly origin: string;
  close(): Promise<void>;
}

/**
 * A loopback proxy to `target` (an emulator's origin): every answer passes through `rewrite`, which
 * may change it (lie about a total, cut a page, redirect elsewhere). Request bodies are forwarded as is.
 */
export async function startProxy(o: {
  target: string;
  /** `body` is the request body as text. */
  rewrite: (req: IncomingMessage, reply: ProxyReply, body: string) => ProxyReply;
}): Promise<Proxy> {
  const target = new URL(o.target);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const upstream = request(
        {
          host: target.hostname,
          port: target.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: target.host },
        },
        (up) => {
          const body: Buffer[] = [];
          up.on('data', (c: Buffer) => body.push(c));
          up.on('end', () => {
            const headers: Record<string, string> = {};
            for (const [k, v] of Object.entries(up.headers)) {
              if (
                v !== undefined &&
                k !== 'content-length' &&
                k !== 'transfer-encoding' &&
                k !== 'connection'
              )
                headers[k] = Array.isArray(v) ? v.join(', ') : v;
            }
            const reply = o.rewrite(
              req,
              { status: up.statusCode ?? 502, headers, body: Buffer.concat(body).toString('utf8') },
              Buffer.concat(chunks).toString('utf8'),
            );
            res.writeHead(reply.status, {
              ...reply.headers,
              'content-length': String(Buffer.byteLength(reply.body)),
            });
            res.end(reply.body);
          });
        },
      );
      upstream.on('error', () => {
        res.writeHead(502);
        res.end();
      });
      upstream.end(Buffer.concat(chunks));
    });
  });
  const port = await listen(server);
  return { origin: `http://127.0.0.1:${port}`, close: () => closeServer(server) };
}
