/** The connected source: status, last and next sync, Sync now, Preview, Update credentials, webhook URL, Disconnect. */
import { Alert, Anchor, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { api, errorMessage } from '../../api/client.js';
import { LIVE_POLL_MS, queryKeys, useTenantTimeZone } from '../../api/queries.js';
import type {
  ConnectResponse,
  IntegrationResponse,
  IntegrationView,
  PreviewResponse,
  ProviderView,
  RunDetail,
  SyncNowResponse,
  UpdateCredentialsResponse,
} from '../../api/types.js';
import { useCanWrite } from '../../app/session.js';
import { RunStatusBadge, ToneBadge } from '../../components/badges.js';
import { PendingSyncProgress, RunProgress, useRefreshDirectory } from '../../components/run-progress.js';
import { countsSummary, fieldLabel, formatDateTime } from '../../lib/format.js';
import { ConfigForm } from './config-form.js';
import { DisconnectDialog } from './disconnect-dialog.js';
import { PreviewModal } from './preview-modal.js';
import { WebhookSection } from './webhook-section.js';

function Facts({ rows }: { rows: readonly (readonly [string, ReactNode])[] }): ReactNode {
  return (
    <dl style={{ display: 'grid', gridTemplateColumns: 'max-content 1fr', gap: '6px 16px', margin: 0 }}>
      {rows.map(([label, value]) => (
        <div key={label} style={{ display: 'contents' }}>
          <dt style={{ fontWeight: 600 }}>{label}</dt>
          <dd style={{ margin: 0 }}>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** After "Sync now": polls the integration until its newest run is a new one, then follows that run. */
function useNewRunAfter(previousRunId: string | null | undefined): string | null {
  const following = previousRunId !== undefined;
  const integration = useQuery({
    queryKey: queryKeys.integration,
    queryFn: () => api.get<IntegrationResponse>('/integration'),
    enabled: following,
    refetchInterval: (q) => {
      const last = q.state.data?.integration?.lastRun?.id ?? null;
      return following && last === previousRunId ? LIVE_POLL_MS : false;
    },
  });
  if (!following) return null;
  const last = integration.data?.integration?.lastRun?.id ?? null;
  return last !== previousRunId ? last : null;
}

export function ConnectedPanel(props: {
  integration: IntegrationView;
  provider: ProviderView | undefined;
  justConnected: ConnectResponse | null;
}): ReactNode {
  const { integration, provider } = props;
  const canWrite = useCanWrite();
  const timeZone = useTenantTimeZone();
  const refresh = useRefreshDirectory();
  const [syncAfter, setSyncAfter] = useState<string | null | undefined>(undefined);
  const [editing, setEditing] = useState(false);
  const [disconnecting, setDisconnecting] = useState(false);
  const [preview, setPreview] = useState<RunDetail | null>(null);
  const [credentialsRun, setCredentialsRun] = useState<string | null>(null);
  const newRunId = useNewRunAfter(syncAfter);
  const isFile = integration.provider === 'file';

  const syncNow = useMutation({
    mutationFn: () => api.post<SyncNowResponse>('/integration/sync'),
    onMutate: () => setSyncAfter(integration.lastRun?.id ?? null),
    onError: () => setSyncAfter(undefined),
  });
  const previewRun = useMutation({
    mutationFn: () => api.post<PreviewResponse>('/integration/preview'),
    onSuccess: (r) => {
      setPreview(r.run);
      refresh();
    },
  });
  const update = useMutation({
    mutationFn: (config: Record<string, unknown>) =>
      api.put<UpdateCredentialsResponse>('/integration/credentials', { config }),
    onSuccess: (r) => {
      setEditing(false);
      setCredentialsRun(r.run?.id ?? null);
      refresh();
    },
  });

  const last = integration.lastRun;
  const failing = integration.failureStreak > 0;
  const facts: [string, ReactNode][] = [
    ['Connected since', formatDateTime(integration.createdAt, timeZone)],
    [
      'Last sync',
      last ? (
        <Group gap="xs" component="span">
          <RunStatusBadge status={last.status} />
          <Anchor component={Link} to={`/runs/${encodeURIComponent(last.id)}`}>
            {formatDateTime(last.startedAt, timeZone)}
          </Anchor>
          <Text span size="sm">
            {countsSummary(last.counts)}
          </Text>
        </Group>
      ) : (
        'Not synced yet'
      ),
    ],
    [
      'Next sync',
      isFile
        ? 'When the next file is uploaded'
        : integration.nextRunAt
          ? formatDateTime(integration.nextRunAt, timeZone)
          : 'Not scheduled',
    ],
    ...Object.entries(integration.publicConfig).map(
      ([key, value]) =>
        [
          provider?.configFields.find((f) => f.key === key)?.label ?? key,
          <Text span style={{ wordBreak: 'break-all' }}>
            {value}
          </Text>,
        ] as [string, ReactNode],
    ),
    ...(provider?.secretFields ?? [])
      .filter((key) => integration.configuredFields.includes(key))
      .map(
        (key) =>
          [provider?.configFields.find((f) => f.key === key)?.label ?? key, 'Saved (never shown)'] as [
            string,
            ReactNode,
          ],
      ),
    ['Managed fields', integration.managedFields.map(fieldLabel).join(', ') || '—'],
  ];

  return (
    <Card withBorder radius="md" padding="lg" component="section" aria-labelledby="connected-title">
      <Stack>
        <Group justify="space-between" wrap="wrap">
          <Group gap="sm">
            <Title order={2} size="h3" id="connected-title">
              {integration.title}
            </Title>
            <ToneBadge tone={failing ? 'red' : 'green'}>
              {failing ? `Connected, failing (${integration.failureStreak} in a row)` : 'Connected'}
            </ToneBadge>
          </Group>
          {canWrite ? (
            <Group gap="xs">
              {!isFile ? (
                <>
                  <Button onClick={() => syncNow.mutate()} loading={syncNow.isPending}>
                    Sync now
                  </Button>
                  <Button
                    variant="default"
                    onClick={() => previewRun.mutate()}
                    loading={previewRun.isPending}
                  >
                    Preview changes
                  </Button>
                </>
              ) : null}
              {provider && provider.configFields.length > 0 ? (
                <Button variant="default" onClick={() => setEditing((e) => !e)} aria-expanded={editing}>
                  Update credentials
                </Button>
              ) : null}
            </Group>
          ) : null}
        </Group>
        {failing ? (
          <Alert color="red" variant="light" title="The last syncs failed" role="alert">
            {last?.message ?? 'The HR system could not be read.'} Fix it in {integration.title} or update the
            credentials here; admins were notified.
          </Alert>
        ) : null}
        {last?.status === 'blocked' ? (
          <Alert color="orange" variant="light" title="A sync is waiting for your confirmation">
            {last.message ?? 'It would deactivate more users than your threshold allows.'}{' '}
            <Anchor component={Link} to={`/runs/${encodeURIComponent(last.id)}`}>
              Review and confirm it
            </Anchor>
          </Alert>
        ) : null}
        <Facts rows={facts} />
        {props.justConnected?.run ? (
          <RunProgress runId={props.justConnected.run.id} title="First sync" />
        ) : null}
        {syncAfter !== undefined && newRunId === null ? <PendingSyncProgress label="Sync queued" /> : null}
        {newRunId ? <RunProgress runId={newRunId} title="Sync now" /> : null}
        {syncNow.isError || previewRun.isError ? (
          <Alert color="red" variant="light" role="alert" title="That did not work">
            {errorMessage(syncNow.error ?? previewRun.error)}
          </Alert>
        ) : null}
        {editing && provider ? (
          <Card withBorder padding="md">
            {update.isPending ? (
              <PendingSyncProgress label="Checking the new credentials, then syncing" />
            ) : null}
            <ConfigForm
              provider={provider}
              mode="update"
              publicConfig={integration.publicConfig}
              submitLabel="Apply"
              pending={update.isPending}
              error={update.error}
              onSubmit={(config) => update.mutate(config)}
              onCancel={() => {
                update.reset();
                setEditing(false);
              }}
            />
          </Card>
        ) : null}
        {credentialsRun ? (
          <RunProgress runId={credentialsRun} title="Sync after the credentials update" />
        ) : null}
        {integration.webhooks ? (
          <WebhookSection
            title={integration.title}
            shownOnce={props.justConnected?.webhookUrl ?? null}
            canWrite={canWrite}
          />
        ) : null}
        {canWrite ? (
          <Group justify="flex-end">
            <Button color="red" variant="outline" onClick={() => setDisconnecting(true)}>
              Disconnect
            </Button>
          </Group>
        ) : null}
      </Stack>
      <DisconnectDialog
        integration={integration}
        opened={disconnecting}
        onClose={() => setDisconnecting(false)}
        onDone={() => setDisconnecting(false)}
      />
      <PreviewModal
        run={preview}
        title={`Preview: a sync from ${integration.title} now`}
        onClose={() => setPreview(null)}
      />
    </Card>
  );
}
