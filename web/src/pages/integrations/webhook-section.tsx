/** People HR's secret webhook URL: shown once when issued, with a copy button; a new one replaces it. */
import { Alert, Button, Stack, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { api, errorMessage } from '../../api/client.js';
import type { WebhookUrlResponse } from '../../api/types.js';
import { CopyField } from '../../components/copy-field.js';

export function WebhookSection(props: {
  title: string;
  shownOnce: string | null;
  canWrite: boolean;
}): ReactNode {
  const [issued, setIssued] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const regenerate = useMutation({
    mutationFn: () => api.post<WebhookUrlResponse>('/integration/webhook-url'),
    onSuccess: (r) => {
      setIssued(r.webhookUrl);
      setConfirming(false);
    },
  });
  const url = issued ?? props.shownOnce;
  return (
    <Stack gap="xs">
      <Text fw={600}>Webhook URL</Text>
      {url ? (
        <>
          <CopyField
            label="Webhook URL"
            value={url}
            testId="webhook-url"
            description={`Paste it into ${props.title} (Settings → API → Webhook URL). It is shown only now: copy it.`}
          />
        </>
      ) : (
        <Text size="sm">
          The webhook URL was shown when you connected and is not stored readable. Lost it? Issue a new one;
          the old one stops working at once.
        </Text>
      )}
      {regenerate.isError ? (
        <Alert color="red" variant="light" role="alert">
          {errorMessage(regenerate.error)}
        </Alert>
      ) : null}
      {props.canWrite ? (
        confirming ? (
          <Alert color="orange" variant="light" title="Issue a new webhook URL?">
            <Stack gap="xs" align="flex-start">
              <Text size="sm">
                {props.title} keeps sending to the old URL until you paste the new one there; those changes
                wait for the next daily sync.
              </Text>
              <Button.Group>
                <Button size="xs" onClick={() => regenerate.mutate()} loading={regenerate.isPending}>
                  Issue a new URL
                </Button>
                <Button size="xs" variant="default" onClick={() => setConfirming(false)}>
                  Cancel
                </Button>
              </Button.Group>
            </Stack>
          </Alert>
        ) : (
          <Button variant="default" size="xs" w="fit-content" onClick={() => setConfirming(true)}>
            New webhook URL
          </Button>
        )
      ) : null}
    </Stack>
  );
}
