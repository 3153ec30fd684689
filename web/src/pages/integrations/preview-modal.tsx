/** "Preview changes": a dry run of the connected source, shown as a readable diff; nothing is applied. */
import { Alert, Modal, Stack, Text } from '@mantine/core';
import { useMemo, type ReactNode } from 'react';
import type { RunDetail } from '../../api/types.js';
import { RunItemsTable } from '../../components/run-items.js';
import { countsSummary } from '../../lib/format.js';

export function PreviewModal(props: {
  run: RunDetail | null;
  title: string;
  onClose: () => void;
}): ReactNode {
  const run = props.run;
  const changes = useMemo(() => (run ? run.items.items.filter((i) => i.action !== 'unchanged') : []), [run]);
  return (
    <Modal opened={run !== null} onClose={props.onClose} title={props.title} size="xl">
      {run ? (
        <Stack>
          <Alert variant="light" color="blue" title="Nothing was applied">
            A sync now would make these changes: {countsSummary(run.counts)}.
            {run.message ? ` ${run.message}` : ''}
          </Alert>
          {run.items.total > run.items.items.length ? (
            <Text size="sm">
              Showing the first {run.items.items.length} of {run.items.total} items.
            </Text>
          ) : null}
          <RunItemsTable
            items={changes}
            dryRun
            caption="Planned changes"
            empty={<Text>Nothing would change: the directory matches the HR system.</Text>}
          />
        </Stack>
      ) : null}
    </Modal>
  );
}
