/** A provider that is not connected: its setup steps, the fields it manages, and Connect with the settings form. */
import { Button, Card, Group, List, Stack, Text, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { api } from '../../api/client.js';
import type { ConnectRequest, ConnectResponse, ProviderView } from '../../api/types.js';
import { ToneBadge } from '../../components/badges.js';
import { PendingSyncProgress, useRefreshDirectory } from '../../components/run-progress.js';
import { fieldLabel } from '../../lib/format.js';
import { ConfigForm } from './config-form.js';

export function ProviderPanel(props: {
  provider: ProviderView;
  /** Set when another source is connected: only one source per company. */
  blockedBy: string | null;
  canWrite: boolean;
  onConnected: (result: ConnectResponse) => void;
}): ReactNode {
  const { provider } = props;
  const [open, setOpen] = useState(false);
  const refresh = useRefreshDirectory();
  const connect = useMutation({
    mutationFn: (config: Record<string, unknown>) =>
      api.post<ConnectResponse>('/integration', { provider: provider.id, config } satisfies ConnectRequest),
    onSuccess: (result) => {
      setOpen(false);
      props.onConnected(result);
      refresh();
    },
  });
  const titleId = `provider-${provider.id}-title`;
  const isFile = provider.id === 'file';
  return (
    <Card
      withBorder
      radius="md"
      padding="lg"
      component="section"
      aria-labelledby={titleId}
      data-provider={provider.id}
    >
      <Stack gap="sm">
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <Title order={2} size="h4" id={titleId}>
            {isFile ? provider.title : `${provider.title} integration`}
          </Title>
          <ToneBadge tone="gray">Not connected</ToneBadge>
        </Group>
        {props.blockedBy ? null : (
          <>
            <List type="ordered" size="sm" spacing={4}>
              {provider.setupSteps.map((step) => (
                <List.Item key={step}>{step}</List.Item>
              ))}
            </List>
            <Text size="sm">
              <strong>Synchronized:</strong> {provider.managedFields.map(fieldLabel).join(', ')}
            </Text>
          </>
        )}
        {props.blockedBy ? (
          <Text size="sm">
            Disconnect {props.blockedBy} first: a company syncs from one HR source at a time.
          </Text>
        ) : props.canWrite ? (
          <>
            {!open ? (
              <Button
                w="fit-content"
                onClick={() => {
                  connect.reset();
                  setOpen(true);
                }}
                aria-label={`Connect ${provider.title}`}
              >
                Connect
              </Button>
            ) : null}
            {open ? (
              <Stack gap="sm">
                {connect.isPending && !isFile ? (
                  <PendingSyncProgress
                    label={`Connecting ${provider.title}: checking the credentials, then the first sync`}
                  />
                ) : null}
                <ConfigForm
                  provider={provider}
                  mode="connect"
                  submitLabel="Apply"
                  pending={connect.isPending}
                  error={connect.error}
                  onSubmit={(config) => connect.mutate(config)}
                  onCancel={() => setOpen(false)}
                />
              </Stack>
            ) : null}
          </>
        ) : (
          <Text size="sm">Ask an admin of your company to connect it.</Text>
        )}
      </Stack>
    </Card>
  );
}
