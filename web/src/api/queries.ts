/** TanStack Query hooks for every read of the admin API, with one place for their keys. */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useCallback } from 'react';
import { api, setCsrfToken } from './client.js';
import type {
  ApiKeysResponse,
  GroupsResponse,
  IntegrationResponse,
  NamesResponse,
  NotificationsResponse,
  ProvidersResponse,
  RunDetail,
  RunsResponse,
  SessionResponse,
  SettingsView,
  UserDetail,
  UsersQuery,
  UsersResponse,
} from './types.js';

/** Run statuses after which a run changes no more. */
export const finishedRunStatuses = [
  'succeeded',
  'partial',
  'failed',
  'blocked',
  'dry_run',
  'interrupted',
  'cancelled',
] as const;

export const isRunFinished = (status: string): boolean =>
  (finishedRunStatuses as readonly string[]).includes(status);

/** How often a running sync is polled for live progress (only while one runs). */
export const LIVE_POLL_MS = 500;

/** Reference lists served as `{ items: string[] }`. */
export const nameLists = ['departments', 'positions', 'locations', 'gender-choices'] as const;
export type NameList = (typeof nameLists)[number];

export const queryKeys = {
  session: ['session'] as const,
  providers: ['providers'] as const,
  integration: ['integration'] as const,
  runs: (page: { limit: number; offset: number }) => ['runs', page] as const,
  run: (id: string, q: { action?: string; limit: number; offset: number }) => ['run', id, q] as const,
  users: (q: UsersQuery) => ['users', q] as const,
  user: (id: string) => ['user', id] as const,
  groups: ['groups'] as const,
  names: (list: NameList) => ['names', list] as const,
  settings: ['settings'] as const,
  apiKeys: ['api-keys'] as const,
  notifications: (page: { limit: number; offset: number }) => ['notifications', page] as const,
};

/** Anything a sync may have changed: refetched after a run finishes or an integration changes. */
export const directoryKeys = [
  ['integration'],
  ['runs'],
  ['run'],
  ['users'],
  ['user'],
  ['groups'],
  ['names'],
  ['notifications'],
] as const;

export const useSession = () =>
  useQuery({
    queryKey: queryKeys.session,
    queryFn: async () => {
      const session = await api.get<SessionResponse>('/session');
      setCsrfToken(session.csrfToken);
      return session;
    },
    retry: false,
    staleTime: 60_000,
  });

export const useProviders = () =>
  useQuery({
    queryKey: queryKeys.providers,
    queryFn: () => api.get<ProvidersResponse>('/providers'),
    staleTime: Infinity,
  });

/** `kiwihr` → `KiwiHR`, from the providers list (the id itself until it loads). */
export const useProviderTitle = (): ((id: string) => string) => {
  const items = useProviders().data?.items;
  return useCallback((id: string) => items?.find((p) => p.id === id)?.title ?? id, [items]);
};

export const useIntegration = () =>
  useQuery({ queryKey: queryKeys.integration, queryFn: () => api.get<IntegrationResponse>('/integration') });

export const useRuns = (page: { limit: number; offset: number }) =>
  useQuery({
    queryKey: queryKeys.runs(page),
    queryFn: () => api.get<RunsResponse>('/runs', page),
    placeholderData: keepPreviousData,
  });

/**
 * One run and a page of its items. While the run is queued or running it is polled every
 * `pollMs` (live progress); polling stops by itself once the run has finished.
 */
export const useRun = (o: {
  id: string;
  action?: string;
  limit?: number;
  offset?: number;
  pollMs?: number;
  enabled?: boolean;
}) => {
  const q = { ...(o.action ? { action: o.action } : {}), limit: o.limit ?? 50, offset: o.offset ?? 0 };
  return useQuery({
    queryKey: queryKeys.run(o.id, q),
    queryFn: () => api.get<RunDetail>(`/runs/${encodeURIComponent(o.id)}`, q),
    placeholderData: keepPreviousData,
    enabled: o.enabled ?? true,
    refetchInterval: (query) => {
      if (query.state.status === 'error') return false;
      const status = query.state.data?.status;
      return status === undefined || !isRunFinished(status) ? (o.pollMs ?? LIVE_POLL_MS) : false;
    },
  });
};

export const useUsers = (q: UsersQuery) =>
  useQuery({
    queryKey: queryKeys.users(q),
    queryFn: () => api.get<UsersResponse>('/users', { ...q }),
    placeholderData: keepPreviousData,
  });

export const useUser = (id: string) =>
  useQuery({
    queryKey: queryKeys.user(id),
    queryFn: () => api.get<UserDetail>(`/users/${encodeURIComponent(id)}`),
  });

export const useGroups = () =>
  useQuery({ queryKey: queryKeys.groups, queryFn: () => api.get<GroupsResponse>('/groups') });

export const useNames = (list: NameList) =>
  useQuery({ queryKey: queryKeys.names(list), queryFn: () => api.get<NamesResponse>(`/${list}`) });

export const useSettings = () =>
  useQuery({ queryKey: queryKeys.settings, queryFn: () => api.get<SettingsView>('/settings') });

export const useApiKeys = () =>
  useQuery({ queryKey: queryKeys.apiKeys, queryFn: () => api.get<ApiKeysResponse>('/api-keys') });

export const useNotifications = (page: { limit: number; offset: number }) =>
  useQuery({
    queryKey: queryKeys.notifications(page),
    queryFn: () => api.get<NotificationsResponse>('/notifications', page),
    placeholderData: keepPreviousData,
  });

/** The company's time zone for showing times (undefined until settings load: the browser's zone is used). */
export const useTenantTimeZone = (): string | undefined => useSettings().data?.timezone;
