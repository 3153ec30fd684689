/** The KiwiHR source: GraphQL users (teams → groups, manager, contract end) behind the connector contract. */
import { isAppError, type AppError } from '../../core/errors.js';
import { err, ok, type Result } from '../../core/result.js';
import { defineSource, type CheckInfo, type SourceContext } from '../contract.js';
import { createKiwihrClient } from './client.js';
import { mapKiwihrUser, type KiwihrUser } from './map.js';
import { kiwihrSpec, type KiwihrConfig } from './spec.js';

async function check(config: KiwihrConfig, ctx: SourceContext): Promise<Result<CheckInfo, AppError>> {
  try {
    const client = createKiwihrClient({ config, ctx });
    try {
      return ok(await client.preflight());
    } finally {
      await client.close();
    }
  } catch (error) {
    if (isAppError(error)) return err(error);
    throw error;
  }
}

async function* read(config: KiwihrConfig, ctx: SourceContext): AsyncGenerator<readonly KiwihrUser[]> {
  const client = createKiwihrClient({ config, ctx });
  try {
    yield* client.users();
  } finally {
    await client.close();
  }
}

/**
 * KiwiHR connector: `check` authenticates and reads one page, `read` streams every `users` page
 * (100 per request) and fails rather than return an incomplete roster, `map` is pure.
 */
export const kiwihrSource = defineSource<KiwihrConfig, KiwihrUser>({
  spec: kiwihrSpec,
  check,
  read,
  map: mapKiwihrUser,
});

export default kiwihrSource;

export { createKiwihrClient, KIWIHR_PAGE_SIZE, usersQuery } from './client.js';
export type { KiwihrClient, KiwihrUsersPage } from './client.js';
export { parseKiwihrUrl, kiwihrHostPattern, kiwihrUrlFormat } from './endpoint.js';
export type { KiwihrEndpoint } from './endpoint.js';
export { mapKiwihrUser, kiwihrDate } from './map.js';
export type { KiwihrUser, KiwihrNamed } from './map.js';
export { kiwihrConfigSchema, kiwihrSpec, kiwihrManagedFields } from './spec.js';
export type { KiwihrConfig } from './spec.js';
