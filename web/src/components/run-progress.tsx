/** Live progress of a sync: polls the run until it finishes, then shows its outcome and refreshes the directory. */
import { Alert, Anchor, Group, Progress, Stack, Text } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, type ReactNode } from 'react';
import { Link } from 'react-router';
import { api } from '../api/client.js';
import { directoryKeys, isRunFinished, LIVE_POLL_MS, useRun } from '../api/queries.js';
import type { RunStatus, RunsResponse, UsersResponse } from '../api/types.js';
import { countsSummary, runStatusLabels, runTriggerLabels } from '../lib/format.js';
import { RunStatusBadge } from './badges.js';

/** Refetches everything a finished sync may have changed. */
export function useRefreshDirectory(): () => void {
  const queryClient = useQueryClient();
  return useCallback(() => {
    for (const key of directoryKeys) void queryClient.invalidateQueries({ queryKey: [...key] });
  }, [queryClient]);
}

/** Users in the directory right now: during a first sync this grows batch by batch. */
function useUserCount(enabled: boolean) {
  return useQuery({
    queryKey: ['users', 'count-while-syncing'],
    queryFn: () => api.get<UsersResponse>('/users', { limit: 1 }),
    enabled,
    refetchInterval: enabled ? LIVE_POLL_MS : false,
  });
}

function outcomeWords(status: RunStatus, dryRun: boolean): string {
  if (dryRun || status === 'dry_run') return 'Would change: ';
  if (status === 'blocked') return 'Stopped before applying anything, it would make: ';
  if (status === 'failed' || status === 'cancelled' || status === 'interrupted') return 'Nothing applied: ';
  return 'Done: ';
}

/** Follows one run by id, with its status, a progress bar while it works, and its counts at the end. */
export function RunProgress({ runId, title }: { runId: string; title: string }): ReactNode {
  const run = useRun({ id: runId, limit: 1 });
  const refresh = useRefreshDirectory();
  const status = run.data?.status;
  const finished = status !== undefined && isRunFinished(status);
  const users = useUserCount(!finished);
  const wasRunning = useRef(false);
  useEffect(() => {
    if (!finished) wasRunning.current = true;
    else if (wasRunning.current) {
      wasRunning.current = false;
      refresh();
    }
  }, [finished, refresh]);
  if (run.isError) {
    return (
      <Alert color="red" variant="light" role="alert" title={title}>
        Could not follow this sync: {run.error.message}
      </Alert>
    );
  }
  return (
    <Stack gap={6} role="status" aria-live="polite" data-testid="run-progress">
      <Group gap="sm">
        <Text fw={600}>{title}</Text>
        {status ? <RunStatusBadge status={status} /> : null}
      </Group>
      {!finished ? (
        <>
          <Progress value={100} animated striped aria-label="Sync in progress" />
          <Text size="sm">
            {status ? `${runStatusLabels[status]}…` : 'Starting…'}
            {users.data ? ` ${users.data.total} users in the directory so far.` : ''}
          </Text>
        </>
      ) : run.data ? (
        <Text size="sm">
          {outcomeWords(run.data.status, run.data.dryRun)}
          {countsSummary(run.data.counts)}.{run.data.message ? ` ${run.data.message}` : ''}{' '}
          <Anchor component={Link} to={`/runs/${encodeURIComponent(runId)}`}>
            Open the run report
          </Anchor>
        </Text>
      ) : null}
    </Stack>
  );
}

/**
 * Progress while a request that runs a sync inside it (connect, update credentials) is pending: the
 * newest run of the company and the number of users so far, both polled.
 */
export function PendingSyncProgress({ label }: { label: string }): ReactNode {
  const newest = useQuery({
    queryKey: ['runs', 'newest-while-pending'],
    queryFn: () => api.get<RunsResponse>('/runs', { limit: 1 }),
    refetchInterval: LIVE_POLL_MS,
  });
  const users = useUserCount(true);
  const run = newest.data?.items[0];
  const current = run && !isRunFinished(run.status) ? run : undefined;
  return (
    <Stack gap={6} role="status" aria-live="polite" data-testid="pending-sync">
      <Text fw={600}>{label}</Text>
      <Progress value={100} animated striped aria-label={label} />
      <Text size="sm">
        {current
          ? `${runStatusLabels[current.status]} (${runTriggerLabels[current.trigger]})…`
          : 'Checking the credentials…'}
        {users.data ? ` ${users.data.total} users in the directory so far.` : ''}
      </Text>
    </Stack>
  );
}
