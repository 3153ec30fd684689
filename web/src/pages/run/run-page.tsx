/** A run's report: summary, counts, what blocked it, its items with field diffs, and the error file. */
import { Alert, Card, Select, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { useParams } from 'react-router';
import { useProviderTitle, useRun, useTenantTimeZone } from '../../api/queries.js';
import type { PlanCounts, RunDetail } from '../../api/types.js';
import { RunStatusBadge } from '../../components/badges.js';
import { ErrorFileButton } from '../../components/run-errors.js';
import { RunItemsTable } from '../../components/run-items.js';
import { Page } from '../../components/page.js';
import { EmptyState, QueryView } from '../../components/states.js';
import { formatDateTime, formatDuration, runTriggerLabels } from '../../lib/format.js';
import { BlockedRun } from './blocked-run.js';

const PAGE_SIZE = 50;
const filters = [
  { value: 'create,update,deactivate,reactivate,delete,error,warning', label: 'All changes' },
  { value: 'create', label: 'Created' },
  { value: 'update', label: 'Updated' },
  { value: 'deactivate,delete', label: 'Deactivated' },
  { value: 'reactivate', label: 'Reactivated' },
  { value: 'error', label: 'Errors' },
  { value: 'warning', label: 'Warnings' },
  { value: 'unchanged', label: 'Unchanged' },
] as const;

const countCards: readonly (readonly [keyof PlanCounts, string])[] = [
  ['created', 'Created'],
  ['updated', 'Updated'],
  ['deactivated', 'Deactivated'],
  ['reactivated', 'Reactivated'],
  ['deleted', 'Deleted'],
  ['unchanged', 'Unchanged'],
  ['errors', 'Errors'],
  ['warnings', 'Warnings'],
];

function Counts({ counts }: { counts: PlanCounts }): ReactNode {
  return (
    <SimpleGrid
      cols={{ base: 2, sm: 4, lg: 8 }}
      spacing="xs"
      component="dl"
      style={{ margin: 0 }}
      data-testid="run-counts"
    >
      {countCards.map(([key, label]) => (
        <Card key={key} withBorder padding="xs" radius="md">
          <Text component="dt" size="xs" fw={600}>
            {label}
          </Text>
          <Text component="dd" fw={700} size="xl" m={0}>
            {counts[key]}
          </Text>
        </Card>
      ))}
    </SimpleGrid>
  );
}

function RunReport({
  run,
  filter,
  setFilter,
  page,
  setPage,
}: {
  run: RunDetail;
  filter: string;
  setFilter: (f: string) => void;
  page: number;
  setPage: (p: number) => void;
}): ReactNode {
  const timeZone = useTenantTimeZone();
  const titleOf = useProviderTitle();
  return (
    <Page
      title={`Sync of ${formatDateTime(run.startedAt, timeZone)}`}
      badge={<RunStatusBadge status={run.status} />}
      description={`${titleOf(run.provider)} · ${runTriggerLabels[run.trigger]} · ${run.mode === 'full' ? 'full roster' : 'changed people only'}${run.dryRun ? ' · preview, nothing applied' : ''} · took ${formatDuration(run.startedAt, run.finishedAt)}`}
    >
      {run.status === 'blocked' ? <BlockedRun run={run} /> : null}
      {run.status === 'failed' || run.status === 'interrupted' ? (
        <Alert
          color="red"
          variant="light"
          title={run.status === 'failed' ? 'Nothing was applied' : 'Interrupted'}
          role="alert"
        >
          {run.message ?? 'The sync stopped.'}
          {run.errorCode ? ` (${run.errorCode})` : ''}
        </Alert>
      ) : run.message && run.status !== 'blocked' ? (
        <Alert variant="light" color="blue">
          {run.message}
        </Alert>
      ) : null}
      <Counts counts={run.counts} />
      {run.counts.errors + run.counts.warnings > 0 ? <ErrorFileButton runId={run.id} /> : null}
      <Stack gap="sm" component="section" aria-labelledby="items-title">
        <Title order={2} size="h4" id="items-title">
          Items
        </Title>
        <Select
          label="Show"
          data={filters.map((f) => ({ value: f.value, label: f.label }))}
          value={filter}
          allowDeselect={false}
          onChange={(v) => {
            setFilter(v ?? filters[0].value);
            setPage(0);
          }}
          w={220}
        />
        <RunItemsTable
          items={run.items.items}
          dryRun={run.dryRun || run.status === 'blocked'}
          caption="Run items"
          server={{ total: run.items.total, pageIndex: page, pageSize: PAGE_SIZE, onPageChange: setPage }}
          empty={<EmptyState title="No items of this kind" />}
        />
      </Stack>
    </Page>
  );
}

export function RunPage(): ReactNode {
  const { id = '' } = useParams();
  const [filter, setFilter] = useState<string>(filters[0].value);
  const [page, setPage] = useState(0);
  const run = useRun({ id, action: filter, limit: PAGE_SIZE, offset: page * PAGE_SIZE });
  return (
    <QueryView query={run} loading="Loading the run…" errorTitle="Could not load this run">
      {(r) => <RunReport run={r} filter={filter} setFilter={setFilter} page={page} setPage={setPage} />}
    </QueryView>
  );
}
