/** The notification outbox: what was sent to whom, and why. */
import { Button, Group, Spoiler, Stack, Text } from '@mantine/core';
import { useMemo, type ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import { useNotifications, useTenantTimeZone } from '../api/queries.js';
import type { NotificationView } from '../api/types.js';
import { ToneBadge } from '../components/badges.js';
import { columnHelperFor, DataTable } from '../components/data-table.js';
import { Page } from '../components/page.js';
import { EmptyState, QueryView } from '../components/states.js';
import { formatDateTime } from '../lib/format.js';

const PAGE_SIZE = 25;
const h = columnHelperFor<NotificationView>();
const statusTones = { pending: 'gray', sent: 'green', failed: 'red' } as const;
const statusWords = { pending: 'Waiting to send', sent: 'Sent', failed: 'Failed' } as const;
const reasons: Readonly<Record<string, string>> = {
  sync_failed: 'A sync failed (first failure of a streak)',
  sync_recovered: 'Syncs work again',
  sync_blocked: 'A sync waits for confirmation',
};

export function NotificationsPage(): ReactNode {
  const [params, setParams] = useSearchParams();
  const page = Number(params.get('page') ?? '0') || 0;
  const notifications = useNotifications({ limit: PAGE_SIZE, offset: page * PAGE_SIZE });
  const timeZone = useTenantTimeZone();
  const columns = useMemo(
    () =>
      h.columns([
        h.accessor('createdAt', {
          header: 'When',
          cell: (i) => <span style={{ whiteSpace: 'nowrap' }}>{formatDateTime(i.getValue(), timeZone)}</span>,
        }),
        h.accessor('to', { header: 'To' }),
        h.accessor((n) => reasons[n.reason] ?? n.reason, { id: 'reason', header: 'Why' }),
        h.accessor('subject', {
          header: 'Message',
          cell: (i) => (
            <Stack gap={2}>
              <Text size="sm" fw={600}>
                {i.getValue()}
              </Text>
              <Spoiler maxHeight={0} showLabel="Show the message" hideLabel="Hide">
                <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                  {i.row.original.body}
                </Text>
              </Spoiler>
            </Stack>
          ),
        }),
        h.accessor('status', {
          header: 'Status',
          cell: (i) => {
            const n = i.row.original;
            return (
              <Stack gap={2}>
                <ToneBadge tone={statusTones[n.status]}>{statusWords[n.status]}</ToneBadge>
                {n.sentAt ? <Text size="xs">{formatDateTime(n.sentAt, timeZone)}</Text> : null}
                {n.lastError ? <Text size="xs">{`Attempt ${n.attempts}: ${n.lastError}`}</Text> : null}
              </Stack>
            );
          },
        }),
      ]),
    [timeZone],
  );
  const go = (p: number) => setParams(p === 0 ? {} : { page: String(p) });
  return (
    <Page
      title="Notifications"
      description="Emails rostersync sent or will send: failed syncs (once per failure streak), recoveries, blocked syncs."
    >
      <QueryView query={notifications} loading="Loading notifications…">
        {(data) => (
          <>
            <DataTable
              data={data.items}
              columns={columns}
              caption="Notification outbox, newest first"
              getRowId={(n) => n.id}
              pageSize={PAGE_SIZE}
              empty={
                page === 0 ? (
                  <EmptyState title="Nothing sent yet">
                    Admins hear from rostersync when a sync fails or recovers.
                  </EmptyState>
                ) : (
                  <Text>No older notifications.</Text>
                )
              }
            />
            <Group gap="xs">
              <Button variant="default" size="xs" disabled={page === 0} onClick={() => go(page - 1)}>
                Newer
              </Button>
              <Button variant="default" size="xs" disabled={!data.hasMore} onClick={() => go(page + 1)}>
                Older
              </Button>
            </Group>
          </>
        )}
      </QueryView>
    </Page>
  );
}
