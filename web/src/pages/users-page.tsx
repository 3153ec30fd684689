/** Users: searchable, filterable (active, source, department, group), paginated; each links to its page. */
import { Anchor, Group, Select, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useGroups, useIntegration, useNames, useUsers } from '../api/queries.js';
import type { UserView, UsersQuery } from '../api/types.js';
import { ActiveBadge, ManagedBadge } from '../components/badges.js';
import { columnHelperFor, DataTable } from '../components/data-table.js';
import { Page } from '../components/page.js';
import { EmptyState, ErrorState, LoadingState } from '../components/states.js';
import { personName } from '../lib/format.js';

const PAGE_SIZE = 50;
const h = columnHelperFor<UserView>();
const columns = h.columns([
  h.accessor((u) => personName(u), {
    id: 'name',
    header: 'Name',
    cell: (i) => (
      <Anchor component={Link} to={`/users/${encodeURIComponent(i.row.original.id)}`}>
        {i.getValue()}
      </Anchor>
    ),
  }),
  h.accessor((u) => u.email ?? '', { id: 'email', header: 'Email' }),
  h.accessor((u) => u.jobTitle ?? '', { id: 'jobTitle', header: 'Job title' }),
  h.accessor((u) => u.department ?? '', { id: 'department', header: 'Department' }),
  h.accessor('active', { header: 'Status', cell: (i) => <ActiveBadge active={i.getValue()} /> }),
  h.accessor((u) => u.managedBy?.title ?? '', {
    id: 'source',
    header: 'Source',
    cell: (i) => (i.getValue() ? <ManagedBadge title={i.getValue()} /> : <Text size="sm">Managed here</Text>),
  }),
]);

export function UsersPage(): ReactNode {
  const [params, setParams] = useSearchParams();
  const [search, setSearch] = useState(params.get('search') ?? '');
  const [debounced] = useDebouncedValue(search, 300);
  const integration = useIntegration();
  const departments = useNames('departments');
  const groups = useGroups();
  const page = Number(params.get('page') ?? '0') || 0;
  const set = (key: string, value: string | null) =>
    setParams(
      (p) => {
        const next = new URLSearchParams(p);
        if (value === null || value === '') next.delete(key);
        else next.set(key, value);
        if (key !== 'page') next.delete('page');
        return next;
      },
      { replace: true },
    );
  useEffect(() => {
    if (debounced !== (params.get('search') ?? '')) set('search', debounced);
    // `set` is recreated every render; only the debounced text should trigger this.
  }, [debounced]);

  const query: UsersQuery = {
    limit: PAGE_SIZE,
    offset: page * PAGE_SIZE,
    ...(params.get('search') ? { search: params.get('search')! } : {}),
    ...(params.get('active') === 'true' || params.get('active') === 'false'
      ? { active: params.get('active') as 'true' | 'false' }
      : {}),
    ...(params.get('integrationId') ? { integrationId: params.get('integrationId')! } : {}),
    ...(params.get('department') ? { department: params.get('department')! } : {}),
    ...(params.get('groupId') ? { groupId: params.get('groupId')! } : {}),
  };
  const users = useUsers(query);
  const active = integration.data?.integration;
  const sourceOptions = useMemo(
    () => (active ? [{ value: active.id, label: `Synced from ${active.title}` }] : []),
    [active],
  );
  const groupOptions = useMemo(
    () =>
      (groups.data?.items ?? []).map((g) => ({
        value: g.id,
        label: g.duplicateName ? `${g.name} (${g.id.slice(0, 6)})` : g.name,
      })),
    [groups.data],
  );
  const filtered = Object.keys(query).length > 2;

  return (
    <Page
      title="Users"
      description="Everyone in the directory. Fields managed by the HR system are read-only here."
    >
      <Group gap="sm" align="flex-end" wrap="wrap">
        <TextInput
          label="Search"
          placeholder="Name, email or employee number"
          type="search"
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          w={260}
        />
        <Select
          label="Status"
          data={[
            { value: 'true', label: 'Active' },
            { value: 'false', label: 'Inactive' },
          ]}
          placeholder="Any status"
          clearable
          value={params.get('active')}
          onChange={(v) => set('active', v)}
          w={150}
        />
        <Select
          label="Source"
          data={sourceOptions}
          placeholder="Any source"
          clearable
          value={params.get('integrationId')}
          onChange={(v) => set('integrationId', v)}
          w={200}
        />
        <Select
          label="Department"
          data={departments.data?.items ?? []}
          placeholder="Any department"
          searchable
          clearable
          value={params.get('department')}
          onChange={(v) => set('department', v)}
          w={200}
        />
        <Select
          label="Group"
          data={groupOptions}
          placeholder="Any group"
          searchable
          clearable
          value={params.get('groupId')}
          onChange={(v) => set('groupId', v)}
          w={200}
        />
      </Group>
      {users.isPending ? (
        <LoadingState label="Loading users…" />
      ) : users.isError ? (
        <ErrorState error={users.error} onRetry={() => void users.refetch()} />
      ) : (
        <DataTable
          data={users.data.items}
          columns={columns}
          caption="Users"
          getRowId={(u) => u.id}
          server={{
            total: users.data.total,
            pageIndex: page,
            pageSize: PAGE_SIZE,
            onPageChange: (i) => set('page', String(i)),
          }}
          note="sorting a column sorts this page"
          empty={
            filtered ? (
              <EmptyState title="No users match these filters">
                Clear a filter or change the search.
              </EmptyState>
            ) : (
              <EmptyState title="No users yet">
                Connect your HR system under{' '}
                <Anchor component={Link} to="/integrations">
                  Integrations
                </Anchor>
                : its people appear here after the first sync.
              </EmptyState>
            )
          }
        />
      )}
    </Page>
  );
}
