import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { isOwnAddress } from './outbound.ts';
import { createRateLimiter, type RateLimiter } from './rate-limit.ts';

// A built-in inbound SMTP server: point the domain's MX (or a forwarding rule) at it. No AUTH (an MX
// accepts mail from the world), but only for our addresses (plus tokens allowed; others 550), with
// a SIZE limit (552 when exceeded) and a per-sender rate limit (450, try later). Each accepted mail
// is handed raw to `onMail`; a failing callback answers 451 so the sending server retries later.

export type SmtpEnvelope = { mailFrom: string; rcptTo: string[]; remoteAddress: string };

export type SmtpListenerOptions = {
  host?: string;
  port: number;
  /** Lower-cased addresses we accept mail for. */
  addresses: string[];
  maxBytes?: number;
  perSenderPerHour?: number;
  banner?: string;
  clock?: () => Date;
  rateLimiter?: RateLimiter;
  /** Extra smtp-server options (e.g. TLS key/cert for STARTTLS). */
  serverOptions?: Partial<SMTPServerOptions>;
  onMail: (raw: Buffer, envelope: SmtpEnvelope) => Promise<void>;
  log?: { warn: (obj: object, msg: string) => void };
};

export type SmtpListener = { port: number; close: () => Promise<void> };

function smtpError(message: string, responseCode: number): Error {
  return Object.assign(new Error(message), { responseCode });
}

export async function startSmtpListener(options: SmtpListenerOptions): Promise<SmtpListener> {
  const maxBytes = options.maxBytes ?? 25 * 1024 * 1024;
  const perHour = options.perSenderPerHour ?? 60;
  const limiter = options.rateLimiter ?? createRateLimiter();
  const clock = options.clock ?? (() => new Date());
  const server = new SMTPServer({
    banner: options.banner ?? 'Kefu mail receiver',
    authOptional: true,
    disabledCommands: ['AUTH'],
    // plain TCP by default; an operator adds key/cert through serverOptions to offer STARTTLS
    hideSTARTTLS: !options.serverOptions?.key,
    size: maxBytes,
    maxClients: 50,
    socketTimeout: 60_000,
    logger: false,
    ...options.serverOptions,
    onMailFrom(address, session, callback) {
      const sender = (address.address || '').toLowerCase();
      const key = sender === '' ? `null:${session.remoteAddress}` : sender;
      const declared = Number(address.args ? (address.args.SIZE ?? 0) : 0);
      if (declared > maxBytes) return callback(smtpError(`552 Message size exceeds ${maxBytes} bytes`, 552));
      if (!limiter.take(key, perHour, 3_600_000, clock().getTime())) {
        return callback(smtpError('Too many messages from this sender, try again later', 450));
      }
      callback();
    },
    onRcptTo(address, _session, callback) {
      if (!isOwnAddress(address.address, options.addresses)) return callback(smtpError('No such user here', 550));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded) {
          return callback(smtpError(`Message size exceeds ${maxBytes} bytes`, 552));
        }
        const raw = Buffer.concat(chunks);
        const envelope: SmtpEnvelope = {
          mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address.toLowerCase() : '',
          rcptTo: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
          remoteAddress: session.remoteAddress,
        };
        options.onMail(raw, envelope).then(
          () => callback(),
          (err: unknown) => {
            options.log?.warn({ err }, 'email: inbound mail could not be stored');
            callback(smtpError('Temporary failure storing the message, try again later', 451));
          },
        );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (err) => options.log?.warn({ err }, 'email: SMTP listener error'));
  const address = (server as unknown as { server: import('node:net').Server }).server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return { port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
