/** Loading, empty and error states, the same on every page. */
import { Alert, Button, Center, Group, Loader, Paper, Stack, Text } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { errorMessage } from '../api/client.js';

export function LoadingState({ label }: { label: string }): ReactNode {
  return (
    <Center py="xl" role="status" aria-live="polite">
      <Group gap="sm">
        <Loader size="sm" aria-hidden="true" />
        <Text>{label}</Text>
      </Group>
    </Center>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }): ReactNode {
  return (
    <Paper withBorder p="lg" radius="md">
      <Stack gap={4} align="flex-start">
        <Text fw={700}>{title}</Text>
        {children ? <Text component="div">{children}</Text> : null}
      </Stack>
    </Paper>
  );
}

/** An error with its message from the API and a retry button. */
export function ErrorState(props: { title?: string; error: unknown; onRetry?: () => void }): ReactNode {
  return (
    <Alert color="red" variant="light" title={props.title ?? 'Could not load this'} role="alert">
      <Stack gap="xs" align="flex-start">
        <Text size="sm">{errorMessage(props.error)}</Text>
        {props.onRetry ? (
          <Button size="xs" variant="default" onClick={props.onRetry}>
            Retry
          </Button>
        ) : null}
      </Stack>
    </Alert>
  );
}

/** Renders a query's loading or error state, else `children(data)`. */
export function QueryView<T>(props: {
  query: UseQueryResult<T>;
  loading: string;
  errorTitle?: string;
  children: (data: T) => ReactNode;
}): ReactNode {
  const { query } = props;
  if (query.isPending) return <LoadingState label={props.loading} />;
  if (query.isError) {
    return (
      <ErrorState
        error={query.error}
        {...(props.errorTitle ? { title: props.errorTitle } : {})}
        onRetry={() => void query.refetch()}
      />
    );
  }
  return props.children(query.data);
}
