/** A run stopped by the mass-change guard: the numbers that blocked it, and Confirm to apply it anyway. */
import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { api, errorMessage } from '../../api/client.js';
import type { ConfirmRunResponse, RunDetail } from '../../api/types.js';
import { useRefreshDirectory } from '../../components/run-progress.js';

/** The guard's numbers, read defensively (the API types `guard` as an open record). */
export interface GuardNumbers {
  readonly reason: string | null;
  readonly leavers: number | null;
  readonly activeLinked: number | null;
  readonly threshold: number | null;
  readonly message: string | null;
}

export function guardNumbers(guard: Readonly<Record<string, unknown>> | null): GuardNumbers {
  const num = (k: string): number | null => {
    const v = guard?.[k];
    return typeof v === 'number' ? v : null;
  };
  const str = (k: string): string | null => {
    const v = guard?.[k];
    return typeof v === 'string' ? v : null;
  };
  return {
    reason: str('reason'),
    leavers: num('leavers'),
    activeLinked: num('activeLinked'),
    threshold: num('threshold'),
    message: str('message'),
  };
}

const percent = (x: number): string => `${Math.round(x * 1000) / 10}%`;

/** "It would deactivate 12 of 40 active users (30%); your limit is 10%." */
export function guardSentence(g: GuardNumbers): string {
  if (g.reason === 'empty_roster') {
    return 'The HR system sent an empty roster: applying it would deactivate every synced user.';
  }
  if (g.leavers !== null && g.activeLinked !== null) {
    const share = g.activeLinked > 0 ? ` (${percent(g.leavers / g.activeLinked)})` : '';
    const limit = g.threshold !== null ? `; your limit is ${percent(g.threshold)}` : '';
    return `It would deactivate or delete ${g.leavers} of ${g.activeLinked} active synced users${share}${limit}.`;
  }
  return g.message ?? 'It would deactivate more users than your limit allows.';
}

export function BlockedRun({ run }: { run: RunDetail }): ReactNode {
  const [open, setOpen] = useState(false);
  const refresh = useRefreshDirectory();
  const g = guardNumbers(run.guard);
  const confirm = useMutation({
    mutationFn: () => api.post<ConfirmRunResponse>(`/runs/${encodeURIComponent(run.id)}/confirm`),
    onSuccess: () => {
      setOpen(false);
      refresh();
    },
  });
  return (
    <Alert
      color="orange"
      variant="light"
      title="Blocked: this sync needs your confirmation"
      data-testid="blocked-run"
    >
      <Stack gap="xs" align="flex-start">
        <Text size="sm" data-testid="guard-numbers">
          {guardSentence(g)}
        </Text>
        <Text size="sm">
          Nothing was applied. If this is right (a reorganisation, a season ending), confirm it; otherwise fix
          the HR system and sync again: a newer sync replaces this one.
        </Text>
        {confirm.isError ? (
          <Text size="sm" c="red.9" role="alert">
            {errorMessage(confirm.error)}
          </Text>
        ) : null}
        <Button onClick={() => setOpen(true)}>Confirm…</Button>
      </Stack>
      <Modal opened={open} onClose={() => setOpen(false)} title="Apply this blocked sync?" centered>
        <Stack>
          <Text>{guardSentence(g)}</Text>
          <Text size="sm">The run applies exactly the changes listed on this page.</Text>
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button color="red" loading={confirm.isPending} onClick={() => confirm.mutate()}>
              Confirm
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Alert>
  );
}
