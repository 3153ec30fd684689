/** Sync runs, newest first: status, trigger and counts; each opens its report. */
import { Anchor, Button, Group, Select, Text } from '@mantine/core';
import { useMemo, type ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useProviderTitle, useRuns, useTenantTimeZone } from '../api/queries.js';
import type { RunStatus, RunSummary } from '../api/types.js';
import { RunStatusBadge } from '../components/badges.js';
import { columnHelperFor, DataTable } from '../components/data-table.js';
import { Page } from '../components/page.js';
import { EmptyState, QueryView } from '../components/states.js';
import { formatDateTime, formatDuration, runStatusLabels, runTriggerLabels } from '../lib/format.js';

const PAGE_SIZE = 25;
const h = columnHelperFor<RunSummary>();
const num = (label: string, get: (r: RunSummary) => number) =>
  h.accessor(get, { id: label.toLowerCase(), header: label });

export function RunsPage(): ReactNode {
  const [params, setParams] = useSearchParams();
  const page = Number(params.get('page') ?? '0') || 0;
  const status = params.get('status');
  const runs = useRuns({ limit: PAGE_SIZE, offset: page * PAGE_SIZE });
  const timeZone = useTenantTimeZone();
  const titleOf = useProviderTitle();
  const columns = useMemo(
    () =>
      h.columns([
        h.accessor('startedAt', {
          header: 'Started',
          cell: (i) => (
            <Anchor
              component={Link}
              to={`/runs/${encodeURIComponent(i.row.original.id)}`}
              style={{ whiteSpace: 'nowrap' }}
            >
              {formatDateTime(i.getValue(), timeZone)}
            </Anchor>
          ),
        }),
        h.accessor('status', { header: 'Status', cell: (i) => <RunStatusBadge status={i.getValue()} /> }),
        h.accessor((r) => `${runTriggerLabels[r.trigger]}${r.mode === 'partial' ? ' (partial)' : ''}`, {
          id: 'trigger',
          header: 'Trigger',
        }),
        h.accessor((r) => titleOf(r.provider), { id: 'provider', header: 'Source' }),
        num('Created', (r) => r.counts.created),
        num('Updated', (r) => r.counts.updated),
        num('Deactivated', (r) => r.counts.deactivated + r.counts.deleted),
        num('Errors', (r) => r.counts.errors),
        h.accessor((r) => formatDuration(r.startedAt, r.finishedAt), {
          id: 'duration',
          header: 'Took',
          enableSorting: false,
        }),
      ]),
    [timeZone, titleOf],
  );
  const go = (next: Record<string, string | null>) =>
    setParams((p) => {
      const q = new URLSearchParams(p);
      for (const [k, v] of Object.entries(next)) {
        if (v === null) q.delete(k);
        else q.set(k, v);
      }
      return q;
    });
  const rows = useMemo(
    () => (runs.data?.items ?? []).filter((r) => status === null || r.status === status),
    [runs.data, status],
  );
  return (
    <Page
      title="Sync runs"
      description="Every sync with what it changed. Open a run for its items and error file."
    >
      <Select
        label="Status"
        placeholder="Any status"
        clearable
        data={(Object.keys(runStatusLabels) as RunStatus[]).map((s) => ({
          value: s,
          label: runStatusLabels[s],
        }))}
        value={status}
        onChange={(v) => go({ status: v })}
        w={240}
      />
      <QueryView query={runs} loading="Loading runs…">
        {(data) => (
          <>
            <DataTable
              data={rows}
              columns={columns}
              caption="Sync runs, newest first"
              getRowId={(r) => r.id}
              pageSize={PAGE_SIZE}
              note={status ? 'status filter applies to this page' : undefined}
              empty={
                data.items.length === 0 && page === 0 ? (
                  <EmptyState title="No syncs yet">
                    Connect an HR system under Integrations to run the first one.
                  </EmptyState>
                ) : (
                  <Text>No runs with this status on this page.</Text>
                )
              }
            />
            <Group gap="xs">
              <Button
                variant="default"
                size="xs"
                disabled={page === 0}
                onClick={() => go({ page: String(page - 1) })}
              >
                Newer
              </Button>
              <Button
                variant="default"
                size="xs"
                disabled={!data.hasMore}
                onClick={() => go({ page: String(page + 1) })}
              >
                Older
              </Button>
            </Group>
          </>
        )}
      </QueryView>
    </Page>
  );
}
