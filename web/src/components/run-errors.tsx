/** A run's record errors and warnings, and the link to its error file (CSV). */
import { Button, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { API_BASE } from '../api/client.js';
import { useRun } from '../api/queries.js';
import type { RunSummary } from '../api/types.js';
import { RunItemsTable } from './run-items.js';
import { LoadingState } from './states.js';

/** The URL of a run's error file; the session cookie authorizes the download. */
export const errorFileUrl = (runId: string): string =>
  `${API_BASE}/runs/${encodeURIComponent(runId)}/errors.csv`;

export function ErrorFileButton({ runId }: { runId: string }): ReactNode {
  return (
    <Button component="a" href={errorFileUrl(runId)} download variant="default" w="fit-content">
      Download the error file (CSV)
    </Button>
  );
}

/** Shown once a run has finished: its errors and warnings (first 50), or nothing when there are none. */
export function RunErrors({ run }: { run: RunSummary }): ReactNode {
  const problems = run.counts.errors + run.counts.warnings;
  const items = useRun({ id: run.id, action: 'error,warning', limit: 50, enabled: problems > 0 });
  if (problems === 0) return null;
  if (items.isPending) return <LoadingState label="Loading the errors…" />;
  return (
    <Stack gap="xs" data-testid="run-errors">
      <Text fw={600}>
        {run.counts.errors} records not synced
        {run.counts.warnings > 0 ? `, ${run.counts.warnings} warnings` : ''}: fix them in the source and sync
        again.
      </Text>
      <RunItemsTable
        items={items.data?.items.items ?? []}
        dryRun={false}
        caption="Record errors and warnings"
      />
      <ErrorFileButton runId={run.id} />
    </Stack>
  );
}
