/** Status badges with colours that keep a 4.5:1 contrast (dark text on light fills). */
import { Badge, Tooltip } from '@mantine/core';
import type { ReactNode } from 'react';
import type { RunStatus } from '../api/types.js';
import { runStatusLabels } from '../lib/format.js';

type Tone = 'green' | 'red' | 'orange' | 'blue' | 'gray' | 'violet';

/** A light badge whose text uses the darkest shade of its colour, so it stays readable. */
export function ToneBadge({ tone, children }: { tone: Tone; children: ReactNode }): ReactNode {
  return (
    <Badge
      variant="light"
      color={tone}
      radius="sm"
      styles={{ root: { color: `var(--mantine-color-${tone}-9)`, textTransform: 'none' } }}
    >
      {children}
    </Badge>
  );
}

const runTones: Readonly<Record<RunStatus, Tone>> = {
  queued: 'gray',
  running: 'blue',
  succeeded: 'green',
  partial: 'orange',
  failed: 'red',
  blocked: 'red',
  dry_run: 'violet',
  interrupted: 'orange',
  cancelled: 'gray',
};

export function RunStatusBadge({ status }: { status: RunStatus }): ReactNode {
  return <ToneBadge tone={runTones[status]}>{runStatusLabels[status]}</ToneBadge>;
}

export function ActiveBadge({ active }: { active: boolean }): ReactNode {
  return <ToneBadge tone={active ? 'green' : 'gray'}>{active ? 'Active' : 'Inactive'}</ToneBadge>;
}

/** "managed by Personio": the field (or user) is read-only here while the source is connected. */
export function ManagedBadge({ title }: { title: string }): ReactNode {
  return (
    <Tooltip label={`Change it in ${title}: the next sync would overwrite an edit made here.`} withArrow>
      <Badge
        variant="outline"
        color="gray"
        radius="sm"
        tabIndex={0}
        styles={{ root: { color: 'var(--mantine-color-gray-8)', textTransform: 'none' } }}
      >
        <span aria-hidden="true">🔒 </span>
        {`managed by ${title}`}
      </Badge>
    </Tooltip>
  );
}
