// The People HR source: API key, GetAllEmployeeDetail for full syncs, GetEmployeeDetailById for webhooks.
import type { AppError } from '../../core/errors.js';
import { isAppError } from '../../core/errors.js';
import type { Result } from '../../core/result.js';
import { err, ok } from '../../core/result.js';
import type { CheckInfo, SourceContext } from '../contract.js';
import { defineSource } from '../contract.js';
import { createPeopleHrClient } from './client.js';
import type { PeopleHrClient } from './client.js';
import type { PeopleHrEmployee } from './map.js';
import { mapPeopleHrEmployee, peopleHrEmployeeId } from './map.js';
import type { PeopleHrConfig } from './spec.js';
import { peopleHrSpec } from './spec.js';
import { parsePeopleHrWebhook } from './webhook.js';

/** Employees fetched one by one (webhook ids) are handed on in pages of this size. */
const BY_ID_PAGE = 50;

const open = (config: PeopleHrConfig, ctx: SourceContext): PeopleHrClient => {
  const client = createPeopleHrClient({ config, ctx });
  if (!client.ok) throw client.error;
  return client.value;
};

/**
 * Preflight: reads the roster once (the only list call People HR has) and, when it is not empty,
 * one employee by id, so both permissions the integration needs are proven before the first sync.
 */
const check = async (config: PeopleHrConfig, ctx: SourceContext): Promise<Result<CheckInfo, AppError>> => {
  const client = createPeopleHrClient({ config, ctx });
  if (!client.ok) return err(client.error);
  try {
    let count = 0;
    let firstId: string | null = null;
    for await (const batch of client.value.allEmployees()) {
      firstId ??= batch[0] === undefined ? null : peopleHrEmployeeId(batch[0]);
      count += batch.length;
    }
    if (firstId !== null) await client.value.employeeById(firstId);
    const people = count === 1 ? '1 employee' : `${count} employees`;
    return ok({ summary: `Connected to People HR: ${people} (leavers included).`, sample: count });
  } catch (error) {
    if (isAppError(error)) return err(error);
    throw error;
  } finally {
    await client.value.close();
  }
};

async function* read(config: PeopleHrConfig, ctx: SourceContext): AsyncGenerator<PeopleHrEmployee[]> {
  const client = open(config, ctx);
  try {
    yield* client.allEmployees();
  } finally {
    await client.close();
  }
}

async function* readByIds(
  config: PeopleHrConfig,
  ids: readonly string[],
  ctx: SourceContext,
): AsyncGenerator<PeopleHrEmployee[]> {
  const client = open(config, ctx);
  try {
    let page: PeopleHrEmployee[] = [];
    // One at a time: People HR allows 30 calls a minute per IP, parallel calls would only hit the limit sooner.
    for (const id of new Set(ids.map((x) => x.trim()).filter((x) => x !== ''))) {
      const employee = await client.employeeById(id);
      if (employee !== null) page.push(employee);
      if (page.length >= BY_ID_PAGE) {
        yield page;
        page = [];
      }
    }
    if (page.length > 0) yield page;
  } finally {
    await client.close();
  }
}

/** The People HR connector (webhooks: the receiver passes bodies to `parseWebhook`, then calls `readByIds`). */
export const peoplehrSource = defineSource<PeopleHrConfig, PeopleHrEmployee>({
  spec: peopleHrSpec,
  check,
  read,
  readByIds,
  map: mapPeopleHrEmployee,
  parseWebhook: parsePeopleHrWebhook,
});

export default peoplehrSource;

export type { PeopleHrConfig } from './spec.js';
export type { PeopleHrEmployee } from './map.js';
export { peopleHrConfigSchema, peopleHrSpec } from './spec.js';
export { mapPeopleHrEmployee } from './map.js';
export { parsePeopleHrWebhook } from './webhook.js';
