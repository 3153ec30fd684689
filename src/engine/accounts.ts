/** Accounts and access: admin passwords (scrypt), browser sessions, and scoped API keys. */
import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { AppError } from '../core/errors.js';
import { isPlausibleEmail } from '../core/index.js';
import { err, ok, type Result } from '../core/result.js';
import type { AdminRecord, AdminRole, ApiKeyRecord, Tenant } from '../store/types.js';
import type { EngineDeps } from './deps.js';

/** What an API key may do: upload HR files, read the directory (API and SCIM), or use the admin API. */
export const apiKeyScopes = ['hr-data:write', 'directory:read', 'admin'] as const;
export type ApiKeyScope = (typeof apiKeyScopes)[number];

/** A session lives 12 hours after its last use, and never longer than 7 days after sign-in. */
export const SESSION_IDLE_MS = 12 * 3_600_000;
export const SESSION_MAX_MS = 7 * 24 * 3_600_000;
/** Writes of last-use times are skipped when the previous one is this recent (one write per request is waste). */
const TOUCH_EVERY_MS = 5 * 60_000;

export const PASSWORD_MIN_LENGTH = 10;
const PASSWORD_MAX_LENGTH = 1024;

/**
 * scrypt cost: N=2^15, r=8, p=1 (32 MiB, tens of milliseconds). The parameters are stored in each hash,
 * so raising them later only affects new passwords.
 */
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, keyLength: 64, saltLength: 16 } as const;

const scryptAsync = (
  password: string,
  salt: Buffer,
  o: { N: number; r: number; p: number; keyLength: number },
): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    scrypt(password, salt, o.keyLength, { N: o.N, r: o.r, p: o.p, maxmem: 256 * o.N * o.r }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });

/** `scrypt$N$r$p$salt$hash` (base64url parts). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SCRYPT.saltLength);
  const key = await scryptAsync(password, salt, SCRYPT);
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), key.toString('base64url')].join(
    '$',
  );
}

/** Constant-time check of a password against a stored hash; false for any malformed hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const params = { N: Number(n), r: Number(r), p: Number(p), keyLength: expected.length };
  if (!Number.isInteger(params.N) || !Number.isInteger(params.r) || !Number.isInteger(params.p)) return false;
  if (expected.length === 0) return false;
  const key = await scryptAsync(password, Buffer.from(salt, 'base64url'), params);
  return timingSafeEqual(key, expected);
}

/** A hash of a random password: unknown emails are checked against it so they take as long as known ones. */
let decoyHash: Promise<string> | undefined;
const decoy = (): Promise<string> => (decoyHash ??= hashPassword(randomBytes(16).toString('hex')));

export const sha256Hex = (value: string): string => createHash('sha256').update(value).digest('hex');

function passwordProblem(password: string): string | undefined {
  if (password.length < PASSWORD_MIN_LENGTH) {
    return `The password has ${password.length} characters; use at least ${PASSWORD_MIN_LENGTH} (a passphrase is easiest).`;
  }
  if (password.length > PASSWORD_MAX_LENGTH)
    return `The password is longer than ${PASSWORD_MAX_LENGTH} characters.`;
  return undefined;
}

/** Creates a company manager (admin) or a read-only viewer with a scrypt-hashed password. */
export async function createAdmin(
  deps: EngineDeps,
  o: { tenantId: string; email: string; password: string; role?: AdminRole },
): Promise<Result<AdminRecord, AppError>> {
  const email = o.email.trim();
  if (!isPlausibleEmail(email)) {
    return err(
      new AppError('invalid_input', `'${email}' is not an email address: enter the admin's work email.`),
    );
  }
  const problem = passwordProblem(o.password);
  if (problem) return err(new AppError('invalid_input', problem, { details: { field: 'password' } }));
  const tenant = await deps.store.tenants.get(o.tenantId);
  if (!tenant) return err(new AppError('not_found', `No tenant ${o.tenantId}.`));
  if (await deps.store.admins.findByEmail(tenant.id, email)) {
    return err(new AppError('conflict', `${tenant.name} already has an admin with the email ${email}.`));
  }
  return ok(
    await deps.store.admins.create({
      id: deps.newId(),
      tenantId: tenant.id,
      email,
      passwordHash: await hashPassword(o.password),
      role: o.role ?? 'admin',
    }),
  );
}

/** A signed-in admin, as the server sees her on each request. */
export interface AdminSession {
  readonly sessionId: string;
  readonly tenantId: string;
  readonly adminId: string;
  readonly email: string;
  readonly role: AdminRole;
  /** Must come back in `x-csrf-token` on every state-changing request made with the cookie. */
  readonly csrfToken: string;
  readonly expiresAt: string;
}

const badLogin = (): AppError =>
  new AppError('unauthorized', 'The email or password is wrong. Check both and try again.');

async function findLoginAdmin(
  deps: EngineDeps,
  o: { email: string; password: string; tenant?: string },
): Promise<Result<{ admin: AdminRecord; tenant: Tenant }, AppError>> {
  let candidates: AdminRecord[];
  if (o.tenant !== undefined) {
    const tenant = await deps.store.tenants.getBySlug(o.tenant);
    const admin = tenant ? await deps.store.admins.findByEmail(tenant.id, o.email) : undefined;
    candidates = admin ? [admin] : [];
  } else {
    candidates = await deps.store.admins.findByEmailAnyTenant(o.email);
  }
  if (candidates.length === 0) {
    await verifyPassword(o.password, await decoy());
    return err(badLogin());
  }
  const matches: { admin: AdminRecord; tenant: Tenant }[] = [];
  for (const admin of candidates) {
    if (!(await verifyPassword(o.password, admin.passwordHash))) continue;
    const tenant = await deps.store.tenants.get(admin.tenantId);
    if (tenant && !tenant.disabled) matches.push({ admin, tenant });
  }
  const [first, second] = matches;
  if (!first) return err(badLogin());
  if (second) {
    return err(
      new AppError(
        'invalid_input',
        'This email signs in to several companies: add the company (tenant slug) to sign in to one of them.',
        { details: { field: 'tenant', tenants: matches.map((m) => m.tenant.slug) } },
      ),
    );
  }
  return ok(first);
}

/**
 * Signs an admin in: checks the password (scrypt, constant time) and opens a session. The returned
 * `token` goes into the cookie; only its sha256 is stored.
 */
export async function login(
  deps: EngineDeps,
  o: { email: string; password: string; tenant?: string },
): Promise<Result<{ token: string; session: AdminSession }, AppError>> {
  const found = await findLoginAdmin(deps, o);
  if (!found.ok) return found;
  const { admin } = found.value;
  const now = deps.clock.now();
  // Housekeeping on the rare path: expired sessions go when someone signs in (indexed, usually nothing).
  await deps.store.sessions.deleteExpired(now);
  const token = randomBytes(32).toString('base64url');
  const record = await deps.store.sessions.create({
    id: deps.newId(),
    tenantId: admin.tenantId,
    adminId: admin.id,
    tokenHash: sha256Hex(token),
    csrfToken: randomBytes(24).toString('base64url'),
    now,
    expiresAt: new Date(now.getTime() + SESSION_IDLE_MS),
  });
  return ok({
    token,
    session: {
      sessionId: record.id,
      tenantId: admin.tenantId,
      adminId: admin.id,
      email: admin.email,
      role: admin.role,
      csrfToken: record.csrfToken,
      expiresAt: record.expiresAt,
    },
  });
}

/** The live session behind a cookie token, or undefined (unknown, expired, revoked, tenant disabled). */
export async function resolveSession(deps: EngineDeps, token: string): Promise<AdminSession | undefined> {
  if (token.length < 20 || token.length > 200) return undefined;
  const found = await deps.store.sessions.findByTokenHash(sha256Hex(token));
  if (!found || found.session.revokedAt !== null) return undefined;
  const now = deps.clock.now();
  const { session, admin } = found;
  if (Date.parse(session.expiresAt) <= now.getTime()) return undefined;
  const tenant = await deps.store.tenants.get(session.tenantId);
  if (!tenant || tenant.disabled) return undefined;
  let expiresAt = session.expiresAt;
  if (now.getTime() - Date.parse(session.lastSeenAt) >= TOUCH_EVERY_MS) {
    const cap = Date.parse(session.createdAt) + SESSION_MAX_MS;
    const next = new Date(Math.min(now.getTime() + SESSION_IDLE_MS, cap));
    await deps.store.sessions.touch(session.id, { lastSeenAt: now, expiresAt: next });
    expiresAt = next.toISOString();
  }
  return {
    sessionId: session.id,
    tenantId: session.tenantId,
    adminId: admin.id,
    email: admin.email,
    role: admin.role,
    csrfToken: session.csrfToken,
    expiresAt,
  };
}

/** Ends a session (sign out). */
export async function logout(deps: EngineDeps, sessionId: string): Promise<void> {
  await deps.store.sessions.revoke(sessionId, deps.clock.now());
}

const KEY_PATTERN = /^rs_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

/** Checks a key's scopes: a non-empty subset of `apiKeyScopes`, without repeats. */
export function parseScopes(scopes: readonly string[]): Result<ApiKeyScope[], AppError> {
  const unknown = scopes.filter((s) => !(apiKeyScopes as readonly string[]).includes(s));
  if (unknown.length > 0) {
    return err(
      new AppError(
        'invalid_input',
        `Unknown API key scope ${unknown.map((s) => `'${s}'`).join(', ')}: use ${apiKeyScopes.join(', ')}.`,
        { details: { field: 'scopes' } },
      ),
    );
  }
  if (scopes.length === 0) {
    return err(
      new AppError('invalid_input', `Give the key at least one scope: ${apiKeyScopes.join(', ')}.`, {
        details: { field: 'scopes' },
      }),
    );
  }
  return ok([...new Set(scopes as ApiKeyScope[])].sort());
}

/**
 * Creates an API key `rs_<prefix>_<secret>`. The key is returned once; the store keeps its sha256 and
 * the 12-character prefix used to find it.
 */
export async function createApiKey(
  deps: EngineDeps,
  o: { tenantId: string; name: string; scopes: readonly string[] },
): Promise<Result<{ key: string; record: ApiKeyRecord }, AppError>> {
  const name = o.name.trim();
  if (name === '' || name.length > 100) {
    return err(
      new AppError('invalid_input', 'Name the key (1 to 100 characters), e.g. "payroll export".', {
        details: { field: 'name' },
      }),
    );
  }
  const scopes = parseScopes(o.scopes);
  if (!scopes.ok) return scopes;
  const tenant = await deps.store.tenants.get(o.tenantId);
  if (!tenant) return err(new AppError('not_found', `No tenant ${o.tenantId}.`));
  const prefix = randomBytes(6).toString('hex');
  const key = `rs_${prefix}_${randomBytes(32).toString('base64url')}`;
  const record = await deps.store.apiKeys.create({
    id: deps.newId(),
    tenantId: tenant.id,
    name,
    scopes: scopes.value,
    keyHash: sha256Hex(key),
    prefix,
  });
  return ok({ key, record });
}

/**
 * The active key behind a presented secret, or undefined (malformed, unknown, revoked, tenant disabled).
 * The hash comparison is constant-time; the last-used time is recorded at most every few minutes.
 */
export async function authenticateApiKey(
  deps: EngineDeps,
  presented: string,
): Promise<ApiKeyRecord | undefined> {
  const match = KEY_PATTERN.exec(presented);
  if (!match?.[1]) return undefined;
  const record = await deps.store.apiKeys.findByPrefix(match[1]);
  if (!record || record.revokedAt !== null) return undefined;
  const expected = Buffer.from(record.keyHash, 'hex');
  const actual = createHash('sha256').update(presented).digest();
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return undefined;
  const tenant = await deps.store.tenants.get(record.tenantId);
  if (!tenant || tenant.disabled) return undefined;
  const now = deps.clock.now();
  if (record.lastUsedAt === null || now.getTime() - Date.parse(record.lastUsedAt) >= TOUCH_EVERY_MS) {
    await deps.store.apiKeys.touch(record.id, now);
    return { ...record, lastUsedAt: now.toISOString() };
  }
  return record;
}

/** Revokes a key of the tenant; revoking it twice is fine, an unknown id (or another tenant's) is not found. */
export async function revokeApiKey(
  deps: EngineDeps,
  o: { tenantId: string; id: string },
): Promise<Result<ApiKeyRecord, AppError>> {
  const existing = (await deps.store.apiKeys.list(o.tenantId)).find((k) => k.id === o.id);
  if (!existing) {
    return err(
      new AppError('not_found', `API key '${o.id}' does not exist in this tenant: list the keys and retry.`),
    );
  }
  if (existing.revokedAt !== null) return ok(existing);
  await deps.store.apiKeys.revoke(o.tenantId, o.id);
  const revoked = (await deps.store.apiKeys.list(o.tenantId)).find((k) => k.id === o.id);
  return ok(revoked ?? existing);
}
