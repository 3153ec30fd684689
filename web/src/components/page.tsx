/** A page's frame: its heading (focused after navigation, for screen readers), actions and the document title. */
import { Group, Stack, Text, Title } from '@mantine/core';
import { useEffect, useRef, type ReactNode } from 'react';

export interface PageProps {
  readonly title: string;
  readonly description?: ReactNode;
  /** Buttons at the right of the heading. */
  readonly actions?: ReactNode;
  /** Something beside the title (a status badge). */
  readonly badge?: ReactNode;
  readonly children: ReactNode;
}

export function Page(props: PageProps): ReactNode {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${props.title} · rostersync`;
  }, [props.title]);
  useEffect(() => {
    // Moving focus to the new page's heading tells screen-reader users that the page changed.
    heading.current?.focus({ preventScroll: true });
  }, []);
  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="sm">
        <Stack gap={4}>
          <Group gap="sm" align="center">
            <Title order={1} size="h2" ref={heading} tabIndex={-1} style={{ outline: 'none' }}>
              {props.title}
            </Title>
            {props.badge}
          </Group>
          {props.description ? <Text component="div">{props.description}</Text> : null}
        </Stack>
        {props.actions ? <Group gap="xs">{props.actions}</Group> : null}
      </Group>
      {props.children}
    </Stack>
  );
}
