/** Scenario 5: People HR webhook latency, from the emulator's change to the change readable in the directory API. */
import { connect } from '../src/engine/index.js';
import { generateRoster, mulberry32, positions } from '../src/sources/_shared/generator.js';
import { startEmulatorProcess } from './emulator-client.js';
import { startService } from './service.js';
import type { BenchDatabase } from './setup.js';

export interface WebhookResult {
  readonly employees: number;
  readonly changes: number;
  /** Latency of each change in ms, in the order they were made. */
  readonly latenciesMs: readonly number[];
  /** Changes seen in the directory API before the timeout (all of them, or the run is a failure). */
  readonly seen: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface DirectoryPage {
  readonly items: readonly {
    readonly jobTitle: string | null;
    readonly source: { readonly sourceId: string | null } | null;
  }[];
}

/**
 * Connects a tenant to a People HR emulator (its own process) whose webhook points at the service,
 * then makes `changes` single-employee position changes one after another. Each latency runs from
 * just before the control call (the emulator POSTs the webhook before answering it) until a poll of
 * `GET /api/v1/directory/users?updatedSince=…` (every 5 ms, as a consuming app would) shows the new value.
 */
export async function webhookScenario(o: {
  db: BenchDatabase;
  employees: number;
  changes: number;
  seed: number;
  timeoutMs?: number;
}): Promise<WebhookResult> {
  const emu = await startEmulatorProcess({ provider: 'peoplehr', count: o.employees, seed: o.seed });
  const service = await startService({ db: o.db });
  try {
    const { deps } = service;
    const tenant = await deps.store.tenants.create({
      id: `wh-${o.seed}`,
      slug: `webhook-${o.seed}`,
      name: 'Webhook Corp',
    });
    const connected = await connect(deps, { tenantId: tenant.id, provider: 'peoplehr', config: emu.config });
    if (!connected.ok) throw connected.error;
    if (connected.value.webhookPath === null) throw new Error('People HR connected without a webhook URL');
    await emu.control({
      method: 'PUT',
      path: '/_emulator/webhook',
      body: { url: `${service.origin}${connected.value.webhookPath}` },
    });
    const key = await service.apiKey({ tenantId: tenant.id, scopes: ['directory:read'] });

    const people = generateRoster({ count: o.employees, seed: o.seed }).filter(
      (p, i) => i > 0 && p.status === 'active' && p.leavingDate === null,
    );
    const rand = mulberry32(o.seed ^ 0x00c0_ffee);
    const latenciesMs: number[] = [];
    for (let i = 0; i < o.changes; i++) {
      const person = people[Math.floor(rand() * people.length)];
      if (person === undefined) break;
      // A title no one has, so the change is always a change (and never an earlier one's echo).
      const title = `${positions[i % positions.length] ?? 'Engineer'} ${i + 1}`;
      const since = new Date(deps.clock.now().getTime() - 1).toISOString();
      const start = performance.now();
      await emu.control({
        method: 'PATCH',
        path: `/_emulator/employees/${person.id}`,
        body: { position: title },
      });
      const deadline = start + (o.timeoutMs ?? 10_000);
      for (;;) {
        const res = await fetch(
          `${service.origin}/api/v1/directory/users?limit=500&updatedSince=${encodeURIComponent(since)}`,
          {
            headers: { authorization: `Bearer ${key}` },
          },
        );
        const page = (await res.json()) as DirectoryPage;
        if (page.items.some((u) => u.source?.sourceId === person.id && u.jobTitle === title)) {
          latenciesMs.push(performance.now() - start);
          break;
        }
        if (performance.now() > deadline) break;
        await sleep(5);
      }
    }
    return { employees: o.employees, changes: o.changes, latenciesMs, seen: latenciesMs.length };
  } finally {
    await service.close();
    await emu.close();
  }
}
