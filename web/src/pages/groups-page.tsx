/** Groups with member counts; names used more than once are flagged (a sync uses the oldest of them). */
import { Alert, Anchor, Text, TextInput } from '@mantine/core';
import { useMemo, useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { useGroups, useTenantTimeZone } from '../api/queries.js';
import type { GroupView } from '../api/types.js';
import { ToneBadge } from '../components/badges.js';
import { columnHelperFor, DataTable } from '../components/data-table.js';
import { Page } from '../components/page.js';
import { EmptyState, QueryView } from '../components/states.js';
import { formatDateTime } from '../lib/format.js';

const h = columnHelperFor<GroupView>();

export function GroupsPage(): ReactNode {
  const groups = useGroups();
  const timeZone = useTenantTimeZone();
  const [filter, setFilter] = useState('');
  const columns = useMemo(
    () =>
      h.columns([
        h.accessor('name', {
          header: 'Name',
          cell: (i) => (
            <Anchor component={Link} to={`/users?groupId=${encodeURIComponent(i.row.original.id)}`}>
              {i.getValue()}
            </Anchor>
          ),
        }),
        h.accessor('memberCount', { header: 'Members' }),
        h.accessor('duplicateName', {
          header: 'Warning',
          cell: (i) => (i.getValue() ? <ToneBadge tone="orange">Duplicate name</ToneBadge> : null),
        }),
        h.accessor('createdAt', { header: 'Created', cell: (i) => formatDateTime(i.getValue(), timeZone) }),
      ]),
    [timeZone],
  );
  const rows = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    const items = groups.data?.items ?? [];
    return needle === '' ? items : items.filter((g) => g.name.toLowerCase().includes(needle));
  }, [groups.data, filter]);
  const duplicates = useMemo(
    () => [...new Set((groups.data?.items ?? []).filter((g) => g.duplicateName).map((g) => g.name))],
    [groups.data],
  );
  return (
    <Page
      title="Groups"
      description="Teams from the HR system become groups. A sync creates missing groups and never deletes one."
    >
      <QueryView query={groups} loading="Loading groups…">
        {(data) => (
          <>
            {duplicates.length > 0 ? (
              <Alert
                color="orange"
                variant="light"
                title="Several groups share a name"
                data-testid="duplicate-warning"
              >
                {duplicates.map((n) => `"${n}"`).join(', ')}: a sync cannot tell them apart and uses the
                oldest one. Rename the others so that each name is used once.
              </Alert>
            ) : null}
            {data.items.length > 0 ? (
              <TextInput
                label="Filter groups"
                type="search"
                value={filter}
                onChange={(e) => setFilter(e.currentTarget.value)}
                w={280}
              />
            ) : null}
            <DataTable
              data={rows}
              columns={columns}
              caption="Groups"
              getRowId={(g) => g.id}
              initialSorting={[{ id: 'name', desc: false }]}
              empty={
                data.items.length === 0 ? (
                  <EmptyState title="No groups yet">
                    Groups appear after a sync from a source with teams (KiwiHR), or when created by hand.
                  </EmptyState>
                ) : (
                  <Text>No group matches “{filter}”.</Text>
                )
              }
            />
          </>
        )}
      </QueryView>
    </Page>
  );
}
