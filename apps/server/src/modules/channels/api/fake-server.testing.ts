// Test-only: a local HTTP server standing in for an SMS gateway or a platform's webhook receiver,
// and a minimal Fastify app hosting one adapter plugin with the real error handling and access control.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { registerAccessControl } from '../../../platform/access.ts';
import { registerErrorHandling } from '../../../platform/http.ts';

export type FakeRequest = { method: string; path: string; headers: IncomingHttpHeaders; body: Buffer; json: unknown; signatureValid: boolean };
export type FakeAnswer = { status: number; body?: unknown; delayMs?: number };

/**
 * Checks the Kefu signature on its own (not through signing.ts), as the platform's glue would:
 * HMAC-SHA256(secret, timestamp + "." + raw body), hex, in the `v1=` header.
 */
export function platformVerifies(secret: string, headers: IncomingHttpHeaders, body: Buffer): boolean {
  const ts = headers['x-kefu-timestamp'];
  const sig = headers['x-kefu-signature'];
  if (typeof ts !== 'string' || typeof sig !== 'string' || !sig.startsWith('v1=')) return false;
  const expected = createHmac('sha256', secret).update(Buffer.concat([Buffer.from(`${ts}.`), body])).digest();
  const given = Buffer.from(sig.slice(3), 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Answers each request with `answers[n]` (the last one repeats). */
export async function startFakeServer(secret: string, answers: FakeAnswer[] | ((n: number, req: FakeRequest) => FakeAnswer)) {
  const requests: FakeRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      let json: unknown = null;
      try {
        json = JSON.parse(body.toString('utf8'));
      } catch {}
      const entry: FakeRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, json, signatureValid: platformVerifies(secret, req.headers, body) };
      requests.push(entry);
      const n = requests.length - 1;
      const answer = typeof answers === 'function' ? answers(n, entry) : answers[Math.min(n, answers.length - 1)]!;
      const send = () => {
        if (res.destroyed) return;
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
      };
      if (answer.delayMs) setTimeout(send, answer.delayMs);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A bare app with the platform's error shape and deny-by-default access, hosting one adapter plugin. */
export async function buildAdapterApp(register: (app: FastifyInstance) => Promise<void>) {
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest('auth', null);
  registerErrorHandling(app);
  registerAccessControl(app);
  await register(app);
  await app.ready();
  return app;
}

export const silentLog = { info: () => {}, warn: () => {} };
