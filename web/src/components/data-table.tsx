/** A sortable, paginated table: TanStack Table for the model, Mantine for the markup, accessible headers. */
import { Group, Pagination, Table, Text, UnstyledButton, VisuallyHidden } from '@mantine/core';
import {
  createColumnHelper,
  createPaginatedRowModel,
  createSortedRowModel,
  rowPaginationFeature,
  rowSortingFeature,
  sortFn_alphanumeric,
  sortFn_basic,
  sortFn_datetime,
  sortFn_text,
  tableFeatures,
  useTable,
  type ColumnDef,
  type Header,
  type RowData,
  type SortingState,
} from '@tanstack/react-table';
import type { ReactNode } from 'react';

/** The features every table of the UI registers: sorting and pagination. */
export const dataTableFeatures = tableFeatures({
  rowSortingFeature,
  sortedRowModel: createSortedRowModel(),
  sortFns: {
    alphanumeric: sortFn_alphanumeric,
    text: sortFn_text,
    datetime: sortFn_datetime,
    basic: sortFn_basic,
  },
  rowPaginationFeature,
  paginatedRowModel: createPaginatedRowModel(),
});
export type DataTableFeatures = typeof dataTableFeatures;

/** Column helper typed for `DataTable`; call it once per row type at module scope. */
export const columnHelperFor = <T extends RowData>() => createColumnHelper<DataTableFeatures, T>();

export type DataColumns<T extends RowData> = ColumnDef<DataTableFeatures, T, any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Pages of a list the server slices: the table shows `data` as one page of `total`. */
export interface ServerPaging {
  readonly total: number;
  /** 0-based. */
  readonly pageIndex: number;
  readonly pageSize: number;
  readonly onPageChange: (pageIndex: number) => void;
}

export interface DataTableProps<T extends RowData> {
  readonly data: readonly T[];
  readonly columns: DataColumns<T>;
  /** Read by screen readers (a visually hidden caption). */
  readonly caption: string;
  /** Shown instead of the table when there are no rows. */
  readonly empty: ReactNode;
  readonly getRowId?: (row: T) => string;
  /** Client pagination page size (default 25); ignored with `server`. */
  readonly pageSize?: number;
  readonly server?: ServerPaging;
  readonly initialSorting?: SortingState;
  /** A note under the table (e.g. "sorting applies to this page"). */
  readonly note?: string | undefined;
}

function SortHeader({ header }: { header: Header<DataTableFeatures, never, unknown> }): ReactNode {
  const label = header.column.columnDef.header;
  const text = typeof label === 'string' ? label : header.column.id;
  if (!header.column.getCanSort()) return text;
  const sorted = header.column.getIsSorted();
  const next = sorted === false ? 'ascending' : sorted === 'asc' ? 'descending' : 'unsorted';
  return (
    <UnstyledButton
      onClick={header.column.getToggleSortingHandler()}
      style={{ font: 'inherit', fontWeight: 700, whiteSpace: 'nowrap' }}
    >
      {text}
      <span aria-hidden="true">{sorted === 'asc' ? ' ▲' : sorted === 'desc' ? ' ▼' : ' ↕'}</span>
      <VisuallyHidden>{`, sort ${next}`}</VisuallyHidden>
    </UnstyledButton>
  );
}

const ariaSort = (s: false | 'asc' | 'desc'): 'ascending' | 'descending' | undefined =>
  s === 'asc' ? 'ascending' : s === 'desc' ? 'descending' : undefined;

/**
 * Renders rows with sortable column headers (buttons with `aria-sort` on the header cell) and a
 * pager when there is more than one page. `data` and `columns` must be stable references.
 */
export function DataTable<T extends RowData>(props: DataTableProps<T>): ReactNode {
  const server = props.server;
  const table = useTable({
    features: dataTableFeatures,
    columns: props.columns,
    data: props.data,
    ...(props.getRowId ? { getRowId: (row: T) => props.getRowId!(row) } : {}),
    initialState: {
      sorting: props.initialSorting ?? [],
      pagination: { pageIndex: 0, pageSize: props.pageSize ?? 25 },
    },
    ...(server
      ? {
          manualPagination: true,
          rowCount: server.total,
          state: { pagination: { pageIndex: server.pageIndex, pageSize: server.pageSize } },
        }
      : {}),
  });
  if (props.data.length === 0) return props.empty;
  const pageCount = server ? Math.max(1, Math.ceil(server.total / server.pageSize)) : table.getPageCount();
  const pageIndex = server ? server.pageIndex : table.atoms.pagination.get().pageIndex;
  return (
    <div>
      <Table.ScrollContainer minWidth={560}>
        <Table striped highlightOnHover verticalSpacing="xs">
          <caption>
            <VisuallyHidden>{props.caption}</VisuallyHidden>
          </caption>
          <Table.Thead>
            {table.getHeaderGroups().map((group) => (
              <Table.Tr key={group.id}>
                {group.headers.map((header) => (
                  <Table.Th key={header.id} scope="col" aria-sort={ariaSort(header.column.getIsSorted())}>
                    {header.isPlaceholder ? null : (
                      <SortHeader header={header as unknown as Header<DataTableFeatures, never, unknown>} />
                    )}
                  </Table.Th>
                ))}
              </Table.Tr>
            ))}
          </Table.Thead>
          <Table.Tbody>
            {table.getRowModel().rows.map((row) => (
              <Table.Tr key={row.id}>
                {row.getAllCells().map((cell) => (
                  <Table.Td key={cell.id}>
                    <table.FlexRender cell={cell} />
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Group justify="space-between" mt="sm" wrap="wrap">
        <Text size="sm">
          {server
            ? `${server.total} in all; page ${pageIndex + 1} of ${pageCount}`
            : `${props.data.length} in all${pageCount > 1 ? `; page ${pageIndex + 1} of ${pageCount}` : ''}`}
          {props.note ? ` · ${props.note}` : ''}
        </Text>
        {pageCount > 1 ? (
          <Pagination
            total={pageCount}
            value={pageIndex + 1}
            onChange={(page) => (server ? server.onPageChange(page - 1) : table.setPageIndex(page - 1))}
            getControlProps={(control) => ({ 'aria-label': `${control} page` })}
            getItemProps={(page) => ({ 'aria-label': `Page ${page}` })}
            size="sm"
          />
        ) : null}
      </Group>
    </div>
  );
}
