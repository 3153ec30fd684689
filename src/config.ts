/** The environment: one zod schema, parsed once at startup, failing with the full list of bad variables. */
import { z } from 'zod';

const bool = z
  .enum(['0', '1', 'true', 'false', ''])
  .optional()
  .transform((v) => v === '1' || v === 'true');

export const envSchema = z.object({
  /** Where the data lives: `sqlite:./data/rostersync.db` (embedded default) or `postgres://user@host/db`. */
  DATABASE_URL: z.string().min(1).default('sqlite:./data/rostersync.db'),
  /**
   * Keys that encrypt HR credentials at rest (AES-256-GCM): `kid:base64key[,kid:base64key...]`, the first
   * one encrypts, all decrypt (rotation). Unset in embedded mode: a key is generated into ./data/secret.key.
   */
  ROSTERSYNC_SECRET_KEYS: z.string().optional(),
  /** Folder for the generated key file and SQLite data when relative paths are used. */
  ROSTERSYNC_DATA_DIR: z.string().default('./data'),
  /** Allow HR connections to loopback hosts (the local emulators). Only for the demo and tests. */
  ROSTERSYNC_ALLOW_LOOPBACK_SOURCES: bool,
  /** HTTP listen address; 127.0.0.1:3000 for the demo, 0.0.0.0 behind a proxy in production. */
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Public base URL (for webhook URLs shown to admins), e.g. https://rostersync.example.com. */
  PUBLIC_URL: z.string().url().optional(),
  /** pino level. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** SMTP server for notifications, e.g. smtp://user:pass@mail:587; without it mail stays in the outbox. */
  SMTP_URL: z.string().optional(),
  SMTP_FROM: z.string().default('rostersync <rostersync@localhost>'),
  /** How long a sync lease lasts without renewal (ms); a dead worker's run is recoverable after it. */
  ROSTERSYNC_LEASE_TTL_MS: z.coerce.number().int().positive().default(120_000),
  /** Largest accepted upload (bytes). */
  ROSTERSYNC_MAX_UPLOAD_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(64 * 1024 * 1024),
});

export type Env = z.infer<typeof envSchema>;

/** Parses the environment once; throws listing every bad variable. */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
