/** A run's items as a readable diff: who is created, updated (field by field), deactivated, or in error. */
import { Anchor, List, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { RunItemAction, RunItemView } from '../api/types.js';
import { changeText } from '../lib/format.js';
import { ToneBadge } from './badges.js';
import { columnHelperFor, DataTable, type ServerPaging } from './data-table.js';

export const itemActionLabels: Readonly<Record<RunItemAction, string>> = {
  create: 'Created',
  update: 'Updated',
  deactivate: 'Deactivated',
  reactivate: 'Reactivated',
  delete: 'Deleted',
  unchanged: 'Unchanged',
  error: 'Error',
  warning: 'Warning',
};

const actionTones = {
  create: 'green',
  update: 'blue',
  deactivate: 'orange',
  reactivate: 'green',
  delete: 'red',
  unchanged: 'gray',
  error: 'red',
  warning: 'orange',
} as const satisfies Record<RunItemAction, string>;

/** How a dry run words it: "Would create". */
const previewLabels: Readonly<Record<RunItemAction, string>> = {
  create: 'Would create',
  update: 'Would update',
  deactivate: 'Would deactivate',
  reactivate: 'Would reactivate',
  delete: 'Would delete',
  unchanged: 'Unchanged',
  error: 'Error',
  warning: 'Warning',
};

function ItemDetail({ item }: { item: RunItemView }): ReactNode {
  if (item.action === 'error' || item.action === 'warning') {
    return (
      <Text size="sm">
        {item.field ? <strong>{`${item.field}: `}</strong> : null}
        {item.message ?? item.code ?? ''}
      </Text>
    );
  }
  if (item.changes.length === 0) return <Text size="sm">—</Text>;
  return (
    <List size="sm" spacing={0}>
      {item.changes.map((c) => (
        <List.Item key={c.field}>{changeText(c)}</List.Item>
      ))}
    </List>
  );
}

const h = columnHelperFor<RunItemView>();

const columnsFor = (dryRun: boolean) =>
  h.columns([
    h.accessor('action', {
      header: dryRun ? 'Change' : 'Action',
      cell: (info) => (
        <ToneBadge tone={actionTones[info.getValue()]}>
          {(dryRun ? previewLabels : itemActionLabels)[info.getValue()]}
        </ToneBadge>
      ),
    }),
    h.accessor('record', {
      header: 'Record',
      cell: (info) => {
        const item = info.row.original;
        const label = item.email ?? item.record;
        return item.userId && !dryRun ? (
          <Anchor component={Link} to={`/users/${encodeURIComponent(item.userId)}`} size="sm">
            {label}
          </Anchor>
        ) : (
          <Text size="sm">{label}</Text>
        );
      },
    }),
    h.accessor((row) => row.changes.length, {
      id: 'details',
      header: 'Details',
      enableSorting: false,
      cell: (info) => <ItemDetail item={info.row.original} />,
    }),
  ]);

const appliedColumns = columnsFor(false);
const previewColumns = columnsFor(true);

export function RunItemsTable(props: {
  items: readonly RunItemView[];
  dryRun: boolean;
  caption: string;
  server?: ServerPaging;
  empty?: ReactNode;
}): ReactNode {
  return (
    <DataTable
      data={props.items}
      columns={props.dryRun ? previewColumns : appliedColumns}
      caption={props.caption}
      getRowId={(item) => String(item.id)}
      {...(props.server ? { server: props.server } : {})}
      empty={props.empty ?? <Text>No items.</Text>}
    />
  );
}
