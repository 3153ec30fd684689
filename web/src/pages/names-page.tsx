/** Departments, positions and locations: named lists created on demand by syncs, never deleted by them. */
import { Text, TextInput } from '@mantine/core';
import { useMemo, useState, type ReactNode } from 'react';
import { useNames, type NameList } from '../api/queries.js';
import { columnHelperFor, DataTable } from '../components/data-table.js';
import { Page } from '../components/page.js';
import { EmptyState, QueryView } from '../components/states.js';

const titles = {
  departments: { title: 'Departments', one: 'department' },
  positions: { title: 'Positions', one: 'position' },
  locations: { title: 'Locations', one: 'office location' },
} as const satisfies Partial<Record<NameList, { title: string; one: string }>>;

export type ReferenceList = keyof typeof titles;

interface NameRow {
  readonly name: string;
}
const h = columnHelperFor<NameRow>();
const columns = h.columns([h.accessor('name', { header: 'Name' })]);

export function NamesPage({ list }: { list: ReferenceList }): ReactNode {
  const names = useNames(list);
  const [filter, setFilter] = useState('');
  const { title, one } = titles[list];
  const rows = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    return (names.data?.items ?? [])
      .filter((n) => needle === '' || n.toLowerCase().includes(needle))
      .map((name) => ({ name }));
  }, [names.data, filter]);
  return (
    <Page
      title={title}
      description={`A sync creates a ${one} that does not exist yet; none is ever deleted by a sync.`}
    >
      <QueryView query={names} loading={`Loading ${title.toLowerCase()}…`}>
        {(data) => (
          <>
            {data.items.length > 0 ? (
              <TextInput
                label={`Filter ${title.toLowerCase()}`}
                type="search"
                value={filter}
                onChange={(e) => setFilter(e.currentTarget.value)}
                w={280}
              />
            ) : null}
            <DataTable
              key={list}
              data={rows}
              columns={columns}
              caption={title}
              getRowId={(r) => r.name}
              initialSorting={[{ id: 'name', desc: false }]}
              pageSize={50}
              empty={
                data.items.length === 0 ? (
                  <EmptyState title={`No ${title.toLowerCase()} yet`}>
                    They are created by syncs from sources that provide them (Personio, People HR, files).
                  </EmptyState>
                ) : (
                  <Text>Nothing matches “{filter}”.</Text>
                )
              }
            />
          </>
        )}
      </QueryView>
    </Page>
  );
}
