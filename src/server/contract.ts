/** The admin API's request and response types: the web UI imports only this file (types, no runtime code). */
import type { ErrorCode } from '../core/errors.js';
import type {
  FieldChange,
  LeaverPolicy,
  ManagedField,
  PersonAttributes,
  PlanCounts,
  SyncMode,
} from '../core/model.js';
import type { AdminRole, RunItemAction, RunStatus, RunTrigger } from '../store/types.js';

export type { ErrorCode, FieldChange, LeaverPolicy, ManagedField, PersonAttributes, PlanCounts };
export type { AdminRole, RunItemAction, RunStatus, RunTrigger };

/** Every error answer: `{ error: { code, message, details? } }`. */
export interface ApiError {
  readonly error: {
    readonly code: ErrorCode;
    readonly message: string;
    /** e.g. `{ in: 'body', fields: [{ field, message }] }` for 422, `{ fields, provider, source }` for managed_field. */
    readonly details?: Readonly<Record<string, unknown>>;
  };
}

/** A page of a list with a total. */
export interface Page<T> {
  readonly items: readonly T[];
  readonly total: number;
  readonly limit: number;
  readonly offset: number;
}

/** A page of a list without a total (newest first). */
export interface Slice<T> {
  readonly items: readonly T[];
  readonly limit: number;
  readonly offset: number;
  readonly hasMore: boolean;
}

export interface Paging {
  readonly limit?: number;
  readonly offset?: number;
}

// --- Session: POST /api/v1/session (sign in), GET /api/v1/session, DELETE /api/v1/session -------

export interface LoginRequest {
  readonly email: string;
  readonly password: string;
  /** The company's slug; needed only when the email is an admin of several companies. */
  readonly tenant?: string;
}

export interface SessionResponse {
  readonly admin: { readonly id: string; readonly email: string; readonly role: AdminRole };
  readonly tenant: { readonly id: string; readonly slug: string; readonly name: string };
  /** Send it back as the `x-csrf-token` header on every POST/PUT/PATCH/DELETE. */
  readonly csrfToken: string;
  readonly expiresAt: string;
}

// --- Providers: GET /api/v1/providers --------------------------------------------------------------

export interface ProviderConfigField {
  readonly key: string;
  readonly label: string;
  readonly secret: boolean;
  readonly help?: string;
  readonly placeholder?: string;
}

export interface ProviderView {
  readonly id: string;
  readonly title: string;
  readonly webhooks: boolean;
  readonly configFields: readonly ProviderConfigField[];
  readonly secretFields: readonly string[];
  /** JSON Schema (OpenAPI 3.0 dialect) of the connection settings, for forms. */
  readonly configSchema: Readonly<Record<string, unknown>>;
  readonly setupSteps: readonly string[];
  readonly managedFields: readonly ManagedField[];
}

export interface ProvidersResponse {
  readonly items: readonly ProviderView[];
}

// --- Runs -------------------------------------------------------------------------------------------

export interface RunSummary {
  readonly id: string;
  readonly integrationId: string | null;
  readonly provider: string;
  readonly mode: SyncMode;
  readonly trigger: RunTrigger;
  readonly status: RunStatus;
  readonly dryRun: boolean;
  readonly counts: PlanCounts;
  readonly message: string | null;
  readonly errorCode: string | null;
  readonly startedAt: string;
  readonly finishedAt: string | null;
}

export interface RunItemView {
  readonly id: number;
  readonly action: RunItemAction;
  readonly userId: string | null;
  readonly sourceId: string | null;
  readonly record: string;
  readonly email: string | null;
  readonly changes: readonly FieldChange[];
  readonly code: string | null;
  readonly field: string | null;
  readonly message: string | null;
}

/** GET /api/v1/runs/:id: the run, what blocked it, and a page of its items. */
export interface RunDetail extends RunSummary {
  readonly guard: Readonly<Record<string, unknown>> | null;
  readonly items: Page<RunItemView>;
}

/** GET /api/v1/runs?integrationId&limit&offset */
export type RunsResponse = Slice<RunSummary>;

/** GET /api/v1/runs/:id?action=&limit=&offset= */
export interface RunItemsQuery extends Paging {
  /** One action or several, comma-separated: `error,warning`. */
  readonly action?: string;
}

// --- Integration: the tenant's one HR source ------------------------------------------------------

export interface IntegrationView {
  readonly id: string;
  readonly provider: string;
  readonly title: string;
  readonly status: 'active' | 'disconnected';
  /** Which settings are set, never their values. */
  readonly configuredFields: readonly string[];
  /** Non-secret settings (e.g. the KiwiHR URL). */
  readonly publicConfig: Readonly<Record<string, string>>;
  readonly managedFields: readonly ManagedField[];
  readonly webhooks: boolean;
  readonly failureStreak: number;
  readonly quarantinedUntil: string | null;
  readonly lastRunAt: string | null;
  readonly lastRun: RunSummary | null;
  /** When the daily schedule fires next (tenant time zone applied), null when not scheduled. */
  readonly nextRunAt: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** GET /api/v1/integration */
export interface IntegrationResponse {
  readonly integration: IntegrationView | null;
}

/** POST /api/v1/integration → 201 */
export interface ConnectRequest {
  readonly provider: string;
  /** The provider's settings (see `ProviderView.configSchema`); secrets are stored encrypted. */
  readonly config: Readonly<Record<string, unknown>>;
}

export interface ConnectResponse {
  readonly integration: IntegrationView;
  readonly check: { readonly summary: string; readonly sample: number };
  /** The first full sync; null when the source syncs by upload only. */
  readonly run: RunSummary | null;
  /** People HR: the secret webhook URL, shown this once. */
  readonly webhookUrl: string | null;
}

/** PUT /api/v1/integration/credentials: only the keys to change; the rest are kept. */
export interface UpdateCredentialsRequest {
  readonly config: Readonly<Record<string, unknown>>;
}

export interface UpdateCredentialsResponse {
  readonly integration: IntegrationView;
  readonly run: RunSummary | null;
}

/** POST /api/v1/integration/webhook-url: a new secret URL, shown once; the old one stops working. */
export interface WebhookUrlResponse {
  readonly webhookUrl: string;
}

/** POST /api/v1/integration/disconnect */
export interface DisconnectRequest {
  readonly confirm: 'OK, I understand';
}

export interface DisconnectResponse {
  readonly integrationId: string;
  readonly unlinkedUsers: number;
}

/** POST /api/v1/integration/sync → 202 */
export interface SyncNowResponse {
  /** False when a sync of this integration was already waiting (they are coalesced). */
  readonly queued: boolean;
}

/** POST /api/v1/integration/preview → 200: a dry run (nothing applied) with its planned items. */
export interface PreviewResponse {
  readonly run: RunDetail;
}

/** POST /api/v1/runs/:id/confirm → 200: the blocked run, applied. */
export interface ConfirmRunResponse {
  readonly run: RunSummary;
}

// --- Users ------------------------------------------------------------------------------------------

export interface UserRef {
  readonly id: string;
  readonly email: string | null;
  readonly firstName: string | null;
  readonly lastName: string | null;
  readonly active: boolean;
}

export type UserView = PersonAttributes & {
  readonly id: string;
  readonly active: boolean;
  readonly managerId: string | null;
  readonly groupIds: readonly string[];
  readonly integrationId: string | null;
  readonly sourceId: string | null;
  /** The connected HR source managing this user ("managed by Personio" badge), or null. */
  readonly managedBy: { readonly provider: string; readonly title: string } | null;
  readonly createdAt: string;
  readonly updatedAt: string;
};

/** GET /api/v1/users?search&active&integrationId&department&groupId&limit&offset */
export interface UsersQuery extends Paging {
  readonly search?: string;
  readonly active?: 'true' | 'false';
  readonly integrationId?: string;
  readonly department?: string;
  readonly groupId?: string;
}

export type UsersResponse = Page<UserView>;

export interface AuditView {
  readonly id: string;
  readonly at: string;
  /** `run`, `admin:<email>`, `api:<key name>`, `cli`. */
  readonly actor: string;
  readonly action: string;
  readonly changes: readonly FieldChange[];
  /** The run that made the change ("why"), when a sync made it. */
  readonly run: {
    readonly id: string;
    readonly trigger: RunTrigger;
    readonly status: RunStatus;
    readonly startedAt: string;
  } | null;
}

/** GET /api/v1/users/:id */
export type UserDetail = UserView & {
  readonly manager: UserRef | null;
  readonly reports: readonly UserRef[];
  readonly groups: readonly { readonly id: string; readonly name: string }[];
  /** Fields that cannot be edited while the source is connected. */
  readonly managedFields: readonly ManagedField[];
  /** Newest first, at most 100 entries. */
  readonly history: readonly AuditView[];
};

/** PATCH /api/v1/users/:id (only the keys sent change) and POST /api/v1/users (email, names required). */
export type UserWriteRequest = Partial<PersonAttributes> & {
  readonly managerId?: string | null;
  readonly groupIds?: readonly string[];
  readonly active?: boolean;
};

// --- Groups and reference lists ---------------------------------------------------------------------

export interface GroupView {
  readonly id: string;
  readonly name: string;
  readonly memberCount: number;
  /** Another group has the same name (a sync uses the oldest one): worth renaming. */
  readonly duplicateName: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** GET /api/v1/groups */
export interface GroupsResponse {
  readonly items: readonly GroupView[];
}

/** GET /api/v1/departments | positions | locations | gender-choices; POST /api/v1/gender-choices → 201 */
export interface NamesResponse {
  readonly items: readonly string[];
}

export interface AddGenderChoiceRequest {
  readonly value: string;
}

// --- Settings ---------------------------------------------------------------------------------------

export interface SettingsView {
  /** IANA time zone, e.g. Europe/Berlin. */
  readonly timezone: string;
  /** Five-field cron in the tenant's time zone; default `0 6 * * *`. */
  readonly syncCron: string;
  readonly nextRunAt: string | null;
  readonly leaverPolicy: LeaverPolicy;
  /** Fraction of active linked users a full run may deactivate or delete before it is blocked. */
  readonly deletionThreshold: number;
  readonly allowManualUsers: boolean;
  readonly technicalUserEmail: string | null;
  readonly notificationRecipients: readonly string[];
}

/** PATCH /api/v1/settings */
export type SettingsPatchRequest = Partial<Omit<SettingsView, 'nextRunAt'>>;

// --- API keys ---------------------------------------------------------------------------------------

export type ApiKeyScope = 'hr-data:write' | 'directory:read' | 'admin';

export interface ApiKeyView {
  readonly id: string;
  readonly name: string;
  readonly scopes: readonly ApiKeyScope[];
  /** The first characters after `rs_`, to recognise a key; never the key. */
  readonly prefix: string;
  readonly createdAt: string;
  readonly revokedAt: string | null;
  readonly lastUsedAt: string | null;
}

/** GET /api/v1/api-keys */
export interface ApiKeysResponse {
  readonly items: readonly ApiKeyView[];
}

/** POST /api/v1/api-keys → 201 */
export interface CreateApiKeyRequest {
  readonly name: string;
  readonly scopes: readonly ApiKeyScope[];
}

export interface CreateApiKeyResponse extends ApiKeyView {
  /** The key itself, shown this once: store it now. */
  readonly key: string;
}

// --- Notifications ----------------------------------------------------------------------------------

export interface NotificationView {
  readonly id: string;
  readonly to: string;
  readonly subject: string;
  readonly body: string;
  readonly reason: string;
  readonly status: 'pending' | 'sent' | 'failed';
  readonly attempts: number;
  readonly lastError: string | null;
  readonly createdAt: string;
  readonly sentAt: string | null;
}

/** GET /api/v1/notifications?limit&offset */
export type NotificationsResponse = Slice<NotificationView>;

// --- Upload API (Bearer key with hr-data:write) -----------------------------------------------------

/** POST /api/v1/hr-data/employees → 202 */
export interface UploadAccepted {
  readonly runId: string;
}

/** POST /api/v1/hr-data/employees?dryRun=true → 200 */
export interface UploadPreview {
  readonly run: RunDetail;
}

/** POST /api/v1/hr-data/positions → 200 */
export interface PositionsUploadResponse {
  readonly positions: number;
  readonly created: number;
  readonly dryRun: boolean;
}
