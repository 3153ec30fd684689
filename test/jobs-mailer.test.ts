/** Notification delivery through a real in-process SMTP server: once per failure streak, once on recovery. */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connect, runSync, type EngineDeps } from '../src/engine/index.js';
import { createMailer } from '../src/jobs/index.js';
import type { Store } from '../src/store/index.js';
import { openTestStore } from './db.js';
import { testDeps } from './support/engine.js';
import { fakeSource, people, type FakeSourceControl } from './support/fake-source.js';
import { recordingLogger } from './support/jobs.js';

interface Received {
  readonly to: string[];
  readonly subject: string;
}

/** What the SMTP server does with the next messages: accept, or answer with an error code. */
let answer: { code: number; message: string } | null = null;
const received: Received[] = [];
let server: SMTPServer;
let smtpUrl = '';

beforeAll(async () => {
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      let raw = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => (raw += chunk));
      stream.on('end', () => {
        if (answer) {
          callback(Object.assign(new Error(answer.message), { responseCode: answer.code }));
          return;
        }
        const subject = /^Subject: (.*)$/m.exec(raw)?.[1]?.trim() ?? '';
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), subject });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  smtpUrl = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

let store: Store;
let close: () => Promise<void>;
afterEach(async () => {
  answer = null;
  received.length = 0;
  await close();
});

/** A tenant with two admins, a viewer and a technical user, connected to a fake HR source. */
async function setup(): Promise<{ deps: EngineDeps; control: FakeSourceControl; tenantId: string }> {
  ({ store, close } = await openTestStore('sqlite'));
  const control: FakeSourceControl = { people: people(6), pageSize: 3, failPage: null, reads: 0 };
  const deps = testDeps(store, { source: fakeSource(control) });
  const tenant = await store.tenants.create({ id: randomUUID(), slug: 'mail-co', name: 'Mail Co' });
  await store.tenants.update(tenant.id, { technicalUserEmail: 'tech@mail.example' });
  for (const [email, role] of [
    ['boss@mail.example', 'admin'],
    ['Second@Mail.example', 'admin'],
    ['viewer@mail.example', 'viewer'],
  ] as const) {
    await store.admins.create({ id: randomUUID(), tenantId: tenant.id, email, passwordHash: 'x', role });
  }
  const connected = await connect(deps, {
    tenantId: tenant.id,
    provider: 'personio',
    config: { token: 'good' },
  });
  if (!connected.ok) throw connected.error;
  return { deps, control, tenantId: tenant.id };
}

const recipients = ['boss@mail.example', 'second@mail.example', 'tech@mail.example'];

async function syncTimes(deps: EngineDeps, tenantId: string, times: number): Promise<void> {
  for (let i = 0; i < times; i += 1) {
    const result = await runSync(deps, { tenantId, trigger: 'schedule' });
    if (!result.ok) throw result.error;
  }
}

describe('mailer with an in-process SMTP server', () => {
  it('a failure streak mails each admin and the technical user once; recovery mails once', async () => {
    const { deps, control, tenantId } = await setup();
    const mailer = createMailer({ store, smtpUrl, from: 'rostersync <rs@test.example>', log: deps.log });
    try {
      control.failPage = 2;
      await syncTimes(deps, tenantId, 3);
      expect(await mailer.drain()).toEqual({ sent: 3, failed: 0, deferred: 0 });
      await syncTimes(deps, tenantId, 2);
      expect(await mailer.drain()).toEqual({ sent: 0, failed: 0, deferred: 0 });
      expect(received.flatMap((m) => m.to).sort()).toEqual(recipients);
      expect(received.every((m) => m.subject.includes('sync failed'))).toBe(true);

      control.failPage = null;
      await syncTimes(deps, tenantId, 2);
      await mailer.drain();
      await mailer.drain();
      const recovered = received.filter((m) => m.subject.includes('works again'));
      expect(recovered.flatMap((m) => m.to).sort()).toEqual(recipients);
      expect(received).toHaveLength(6);

      // A new streak notifies again, once.
      control.failPage = 1;
      await syncTimes(deps, tenantId, 2);
      await mailer.drain();
      expect(received).toHaveLength(9);
      const outbox = await store.outbox.list(tenantId, { limit: 100 });
      expect(outbox.every((m) => m.status === 'sent')).toBe(true);
    } finally {
      mailer.close();
    }
  });

  it('keeps messages pending while the server answers 4xx and sends them once when it recovers', async () => {
    const { deps, control, tenantId } = await setup();
    const log = recordingLogger();
    const mailer = createMailer({ store, smtpUrl, from: 'rs@test.example', log });
    try {
      control.failPage = 1;
      await syncTimes(deps, tenantId, 1);
      answer = { code: 421, message: 'Service not available, try later' };
      expect(await mailer.drain()).toEqual({ sent: 0, failed: 0, deferred: 3 });
      expect(await store.outbox.listPending(10)).toHaveLength(3);
      answer = null;
      expect(await mailer.drain()).toEqual({ sent: 3, failed: 0, deferred: 0 });
      expect(await mailer.drain()).toEqual({ sent: 0, failed: 0, deferred: 0 });
      expect(received).toHaveLength(3);
    } finally {
      mailer.close();
    }
  });

  it('marks a permanently refused message failed and does not retry it', async () => {
    const { deps, control, tenantId } = await setup();
    const mailer = createMailer({ store, smtpUrl, from: 'rs@test.example', log: recordingLogger() });
    try {
      control.failPage = 1;
      await syncTimes(deps, tenantId, 1);
      answer = { code: 550, message: 'Mailbox unavailable' };
      expect(await mailer.drain()).toEqual({ sent: 0, failed: 3, deferred: 0 });
      answer = null;
      expect(await mailer.drain()).toEqual({ sent: 0, failed: 0, deferred: 0 });
      const outbox = await store.outbox.list(tenantId, { limit: 10 });
      expect(outbox.map((m) => m.status)).toEqual(['failed', 'failed', 'failed']);
      expect(outbox[0]?.lastError).toContain('550');
    } finally {
      mailer.close();
    }
  });

  it('without SMTP the messages stay in the outbox and each is logged once', async () => {
    const { deps, control, tenantId } = await setup();
    const log = recordingLogger();
    const mailer = createMailer({ store, smtpUrl: undefined, from: 'rs@test.example', log });
    control.failPage = 1;
    await syncTimes(deps, tenantId, 1);
    expect(await mailer.drain()).toEqual({ sent: 0, failed: 0, deferred: 3 });
    expect(await mailer.drain()).toEqual({ sent: 0, failed: 0, deferred: 3 });
    const kept = log.lines.filter((l) => l.msg === 'notification kept in the outbox (no SMTP)');
    expect(kept).toHaveLength(3);
    expect(log.lines.filter((l) => l.level === 'warn')).toHaveLength(1);
    expect(await store.outbox.listPending(10)).toHaveLength(3);
    expect(received).toHaveLength(0);
  });
});
