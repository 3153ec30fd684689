/** Outbox delivery: pending notification rows sent through SMTP (nodemailer), each exactly once. */
import nodemailer from 'nodemailer';
import type { Logger } from '../engine/index.js';
import type { Store } from '../store/index.js';
import type { OutboxRecord } from '../store/types.js';

/** Transient SMTP failures before a message is given up (marked failed). */
const MAX_TRANSIENT_ATTEMPTS = 10;
/** Pending ids remembered for "logged once" without SMTP; beyond it the oldest are forgotten. */
const MAX_LOGGED = 10_000;

/** The part of a nodemailer transport the mailer uses. */
export interface MailTransport {
  sendMail(message: { from: string; to: string; subject: string; text: string }): Promise<unknown>;
  close(): void;
}

export interface MailerOptions {
  readonly store: Store;
  /** `smtp://user:pass@host:587` or `smtps://...`; without it messages stay pending (and are logged once). */
  readonly smtpUrl?: string | undefined;
  readonly from: string;
  readonly log: Logger;
  /** Replaces the SMTP transport (tests). */
  readonly transport?: MailTransport;
  /** Messages per drain (default 100). */
  readonly batchSize?: number;
}

export interface DrainResult {
  readonly sent: number;
  /** Permanently refused (5xx) or given up after repeated transient failures. */
  readonly failed: number;
  /** Left pending: no SMTP configured, or the server could not be reached (tried again next drain). */
  readonly deferred: number;
}

export interface Mailer {
  /** Sends what is pending; never throws (failures are recorded on the rows or logged). */
  drain(): Promise<DrainResult>;
  close(): void;
}

/** SMTP reply codes 5xx are permanent (RFC 5321 §4.2.1); connection errors and 4xx are worth retrying. */
const isPermanent = (error: unknown): boolean => {
  const code = (error as { responseCode?: unknown }).responseCode;
  return typeof code === 'number' && code >= 500;
};

/** What went wrong, without credentials (nodemailer messages may quote the server, never our password). */
const describe = (error: unknown): string => {
  const e = error as { responseCode?: number; code?: string; message?: string };
  const parts = [e.code, e.responseCode, e.message].filter((p) => p !== undefined && p !== '');
  return (
    parts
      .join(' ')
      .replace(/\/\/[^@\s]*@/g, '//***@')
      .slice(0, 500) || 'unknown SMTP error'
  );
};

/**
 * Creates the mailer. Only one process may drain at a time (the leader on PostgreSQL, see
 * runtime.ts): rows are read, sent, then marked, so two drainers could send a row twice.
 *
 * @example
 * const mailer = createMailer({ store, smtpUrl: env.SMTP_URL, from: env.SMTP_FROM, log });
 * await mailer.drain();
 */
export function createMailer(o: MailerOptions): Mailer {
  const transport: MailTransport | null =
    o.transport ?? (o.smtpUrl ? nodemailer.createTransport(o.smtpUrl) : null);
  const batchSize = o.batchSize ?? 100;
  const logged = new Set<string>();
  const transientAttempts = new Map<string, number>();
  let warnedNoSmtp = false;

  const logPending = (rows: readonly OutboxRecord[]): number => {
    if (!warnedNoSmtp && rows.length > 0) {
      warnedNoSmtp = true;
      o.log.warn({ pending: rows.length }, 'SMTP_URL is not set: notifications stay in the outbox');
    }
    for (const row of rows) {
      if (logged.has(row.id)) continue;
      if (logged.size >= MAX_LOGGED) logged.delete(logged.values().next().value as string);
      logged.add(row.id);
      o.log.info(
        { outboxId: row.id, tenantId: row.tenantId, to: row.to, subject: row.subject, reason: row.reason },
        'notification kept in the outbox (no SMTP)',
      );
    }
    return rows.length;
  };

  const sendOne = async (row: OutboxRecord): Promise<'sent' | 'failed' | 'deferred'> => {
    try {
      await transport?.sendMail({ from: o.from, to: row.to, subject: row.subject, text: row.body });
    } catch (error) {
      const why = describe(error);
      const attempts = (transientAttempts.get(row.id) ?? 0) + 1;
      if (isPermanent(error) || attempts >= MAX_TRANSIENT_ATTEMPTS) {
        transientAttempts.delete(row.id);
        await o.store.outbox.markFailed(row.id, why);
        o.log.warn(
          { outboxId: row.id, tenantId: row.tenantId, error: why },
          'notification could not be sent',
        );
        return 'failed';
      }
      transientAttempts.set(row.id, attempts);
      o.log.warn({ outboxId: row.id, attempts, error: why }, 'SMTP unavailable; notification stays pending');
      return 'deferred';
    }
    transientAttempts.delete(row.id);
    await o.store.outbox.markSent(row.id, new Date());
    return 'sent';
  };

  return {
    async drain() {
      let sent = 0;
      let failed = 0;
      let deferred = 0;
      try {
        if (transport === null) {
          return { sent, failed, deferred: logPending(await o.store.outbox.listPending(1000)) };
        }
        for (;;) {
          const rows = await o.store.outbox.listPending(batchSize);
          let progressed = false;
          for (const [index, row] of rows.entries()) {
            const outcome = await sendOne(row);
            if (outcome === 'deferred') {
              // The server is down: the rest would fail the same way; try again on the next drain.
              deferred += rows.length - index;
              return { sent, failed, deferred };
            }
            if (outcome === 'sent') sent += 1;
            else failed += 1;
            progressed = true;
          }
          if (rows.length < batchSize || !progressed) break;
        }
      } catch (error) {
        o.log.error({ err: error }, 'outbox drain failed');
      }
      return { sent, failed, deferred };
    },
    close() {
      transport?.close();
    },
  };
}
