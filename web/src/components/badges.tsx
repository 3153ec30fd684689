/** Status badges with colours that keep a 4.5:1 contrast (dark text on light fills). */
import { Badge, Tooltip } from '@mantine/core';
import type { ReactNode } from 'react';
import type { RunStatus } from '../api/types.js';
import { runStatusLabels } from '../lib/format.js';

/**
 * Fill and text of each tone. Mantine's own shades are too light for 11px text (green 9 on its light
 * fill is about 4:1), so these are darker: every pair is above 7:1.
 */
const tones = {
  green: { bg: '#e6f4ea', fg: '#1b5e20' },
  red: { bg: '#fdecea', fg: '#8a1c1c' },
  orange: { bg: '#fff3e0', fg: '#7a3d00' },
  blue: { bg: '#e7f0fb', fg: '#0b4a8b' },
  gray: { bg: '#f1f3f5', fg: '#343a40' },
  violet: { bg: '#f1ebfb', fg: '#4b2a8a' },
} as const;
export type Tone = keyof typeof tones;

export function ToneBadge({ tone, children }: { tone: Tone; children: ReactNode }): ReactNode {
  const { bg, fg } = tones[tone];
  return (
    <Badge
      radius="sm"
      styles={{
        root: {
          background: bg,
          color: fg,
          textTransform: 'none',
          border: `1px solid ${fg}33`,
          flexShrink: 0,
        },
        label: { overflow: 'visible' },
      }}
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

/** A small padlock drawn inline (emoji fonts are often missing on servers and kiosks). */
function LockIcon(): ReactNode {
  return (
    <svg
      aria-hidden="true"
      width="10"
      height="10"
      viewBox="0 0 16 16"
      style={{ marginRight: 4, verticalAlign: '-1px' }}
      fill="currentColor"
    >
      <path d="M4 7V5a4 4 0 1 1 8 0v2h1a1 1 0 0 1 1 1v7a1 1 0 0 1-1 1H3a1 1 0 0 1-1-1V8a1 1 0 0 1 1-1h1Zm2 0h4V5a2 2 0 1 0-4 0v2Z" />
    </svg>
  );
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
        <LockIcon />
        {`managed by ${title}`}
      </Badge>
    </Tooltip>
  );
}
