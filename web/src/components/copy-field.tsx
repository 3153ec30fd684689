/** A read-only value with a copy button (webhook URL, upload URL, a new API key). */
import { Button, CopyButton, Group, TextInput } from '@mantine/core';
import type { ReactNode } from 'react';

export function CopyField(props: {
  label: string;
  value: string;
  description?: string;
  testId?: string;
}): ReactNode {
  return (
    <Group align="flex-end" gap="xs" wrap="nowrap">
      <TextInput
        label={props.label}
        description={props.description}
        value={props.value}
        readOnly
        style={{ flex: 1 }}
        onFocus={(e) => e.currentTarget.select()}
        data-testid={props.testId}
        styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
      />
      <CopyButton value={props.value}>
        {({ copied, copy }) => (
          <Button variant="default" onClick={copy} aria-label={`Copy ${props.label}`}>
            {copied ? 'Copied' : 'Copy'}
          </Button>
        )}
      </CopyButton>
    </Group>
  );
}
