/** Disconnect behind a confirmation: Confirm stays disabled until "OK, I understand" is ticked. */
import { Alert, Button, Checkbox, Group, List, Modal, Stack, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { api, errorMessage } from '../../api/client.js';
import type { DisconnectRequest, DisconnectResponse, IntegrationView } from '../../api/types.js';
import { useRefreshDirectory } from '../../components/run-progress.js';

/** The exact words the API expects, as the seeds' pop-up shows them. */
export const DISCONNECT_CONFIRMATION = 'OK, I understand' as const satisfies DisconnectRequest['confirm'];

export function DisconnectDialog(props: {
  integration: IntegrationView;
  opened: boolean;
  onClose: () => void;
  onDone: (result: DisconnectResponse) => void;
}): ReactNode {
  const [understood, setUnderstood] = useState(false);
  const refresh = useRefreshDirectory();
  const disconnect = useMutation({
    mutationFn: () =>
      api.post<DisconnectResponse>('/integration/disconnect', {
        confirm: DISCONNECT_CONFIRMATION,
      } satisfies DisconnectRequest),
    onSuccess: (result) => {
      refresh();
      props.onDone(result);
    },
  });
  const close = () => {
    setUnderstood(false);
    disconnect.reset();
    props.onClose();
  };
  const title = props.integration.title;
  return (
    <Modal opened={props.opened} onClose={close} title={`Disconnect ${title}?`} centered>
      <Stack>
        <Text>Users stop syncing from {title}. What happens:</Text>
        <List size="sm" spacing={4}>
          <List.Item>The saved credentials are deleted.</List.Item>
          {props.integration.webhooks ? <List.Item>The webhook URL stops working.</List.Item> : null}
          <List.Item>Users stay exactly as they are, and become editable here.</List.Item>
          <List.Item>
            The links to {title} records are dropped: reconnecting matches users by email again, so make sure
            the emails match first.
          </List.Item>
        </List>
        {disconnect.isError ? (
          <Alert color="red" variant="light" role="alert" title="Not disconnected">
            {errorMessage(disconnect.error)}
          </Alert>
        ) : null}
        <Checkbox
          label={DISCONNECT_CONFIRMATION}
          checked={understood}
          onChange={(e) => setUnderstood(e.currentTarget.checked)}
        />
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={close}>
            Cancel
          </Button>
          <Button
            color="red"
            disabled={!understood}
            loading={disconnect.isPending}
            onClick={() => disconnect.mutate()}
          >
            Confirm
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
