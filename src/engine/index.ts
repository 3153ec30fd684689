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
export { confirmRun, runSync } from './run-sync.js';
export { emptyCounts } from '../core/model.js';
export type { Progress, SyncInput, SyncRequest } from './run-sync.js';
export { createEngine } from './setup.js';
export { createTenant, tenantBySlug, isValidTimeZone } from './tenants.js';
export { uploadEmployees, uploadPositions } from './upload.js';
export type { UploadRequest } from './upload.js';
export type { JobQueue, SyncJob } from './queue.js';
export {
  apiKeyScopes,
  authenticateApiKey,
  createAdmin,
  createApiKey,
  hashPassword,
  login,
  logout,
  parseScopes,
  resolveSession,
  revokeApiKey,
  verifyPassword,
  PASSWORD_MIN_LENGTH,
  SESSION_IDLE_MS,
  SESSION_MAX_MS,
} from './accounts.js';
export type { AdminSession, ApiKeyScope } from './accounts.js';
export { createUser, managedFieldsOf, updateUser } from './users.js';
export type { ManagedInfo, UserInput } from './users.js';
export { nextScheduledRun, updateSettings, validateSyncCron } from './settings.js';
export type { SettingsPatch } from './settings.js';
export {
  decodeCursor,
  displayName,
  encodeCursor,
  findDirectoryGroups,
  findDirectoryUsers,
  getDirectoryGroup,
  getDirectoryUser,
  listDirectoryGroups,
  listDirectoryUsers,
} from './directory.js';
export type {
  DirectoryGroupView,
  DirectoryPage,
  DirectoryPageRequest,
  DirectoryUserView,
  IndexedPage,
  PersonRef,
  ScimGroupQuery,
  ScimUserQuery,
} from './directory.js';
