/** The engine's use cases, shared by the server, the jobs and the CLI. */
export { createCipher, parseKeys, loadOrCreateKeyFile } from './credentials.js';
export type { CredentialCipher } from './credentials.js';
export { silentLogger, todayIn } from './deps.js';
export type { EngineDeps, Logger } from './deps.js';
export {
  connect,
  disconnect,
  updateCredentials,
  regenerateWebhook,
  hashToken,
  DISCONNECT_CONFIRMATION,
} from './integrations.js';
export type { ConnectResult } from './integrations.js';
export { errorFileCsv, runView, safeCell } from './report.js';
export type { RunView } from './report.js';
export { confirmRun, runSync, emptyCounts } from './run-sync.js';
export type { Progress, SyncInput, SyncRequest } from './run-sync.js';
export { createEngine } from './setup.js';
export { createTenant, tenantBySlug, isValidTimeZone } from './tenants.js';
export { uploadEmployees, uploadPositions } from './upload.js';
export type { UploadRequest } from './upload.js';
export type { JobQueue, SyncJob } from './queue.js';
