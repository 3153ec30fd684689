/** API keys of the company: list, create (the key is shown once), revoke. */
import { Alert, Button, Checkbox, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { api, errorMessage } from '../../api/client.js';
import { queryKeys, useApiKeys, useTenantTimeZone } from '../../api/queries.js';
import type { ApiKeyScope, ApiKeyView, CreateApiKeyRequest, CreateApiKeyResponse } from '../../api/types.js';
import { ToneBadge } from '../../components/badges.js';
import { CopyField } from '../../components/copy-field.js';
import { columnHelperFor, DataTable } from '../../components/data-table.js';
import { EmptyState, QueryView } from '../../components/states.js';
import { formatDateTime } from '../../lib/format.js';

const scopeLabels: Readonly<Record<ApiKeyScope, string>> = {
  'hr-data:write': 'Upload HR files (hr-data:write)',
  'directory:read': 'Read the directory and SCIM (directory:read)',
  admin: 'Full admin API (admin)',
};
const scopes = Object.keys(scopeLabels) as ApiKeyScope[];

const h = columnHelperFor<ApiKeyView>();

function RevokeButton({ apiKey }: { apiKey: ApiKeyView }): ReactNode {
  const queryClient = useQueryClient();
  const [sure, setSure] = useState(false);
  const revoke = useMutation({
    mutationFn: () => api.delete<undefined>(`/api-keys/${encodeURIComponent(apiKey.id)}`),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: queryKeys.apiKeys }),
  });
  if (apiKey.revokedAt) return <ToneBadge tone="gray">Revoked</ToneBadge>;
  if (!sure) {
    return (
      <Button size="xs" variant="default" onClick={() => setSure(true)} aria-label={`Revoke ${apiKey.name}`}>
        Revoke
      </Button>
    );
  }
  return (
    <Group gap={4} wrap="nowrap">
      <Button size="xs" color="red" loading={revoke.isPending} onClick={() => revoke.mutate()}>
        Revoke now
      </Button>
      <Button size="xs" variant="default" onClick={() => setSure(false)}>
        Keep
      </Button>
    </Group>
  );
}

export function ApiKeysSection(props: {
  canWrite: boolean;
  /** Called with a new key that can upload, so the upload form can use it. */
  onUploadKey?: (key: string) => void;
}): ReactNode {
  const queryClient = useQueryClient();
  const keys = useApiKeys();
  const timeZone = useTenantTimeZone();
  const [name, setName] = useState('');
  const [chosen, setChosen] = useState<ApiKeyScope[]>(['hr-data:write']);
  const [created, setCreated] = useState<CreateApiKeyResponse | null>(null);
  const create = useMutation({
    mutationFn: (body: CreateApiKeyRequest) => api.post<CreateApiKeyResponse>('/api-keys', body),
    onSuccess: (key) => {
      setCreated(key);
      setName('');
      if (key.scopes.includes('hr-data:write')) props.onUploadKey?.(key.key);
      void queryClient.invalidateQueries({ queryKey: queryKeys.apiKeys });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ name: name.trim(), scopes: chosen });
  };
  const columns = useMemo(
    () =>
      h.columns([
        h.accessor('name', { header: 'Name' }),
        h.accessor((k) => k.scopes.join(', '), { id: 'scopes', header: 'Scopes' }),
        h.accessor('prefix', { header: 'Starts with', cell: (i) => <code>{`rs_${i.getValue()}…`}</code> }),
        h.accessor('createdAt', { header: 'Created', cell: (i) => formatDateTime(i.getValue(), timeZone) }),
        h.accessor('lastUsedAt', {
          header: 'Last used',
          cell: (i) => formatDateTime(i.getValue(), timeZone),
        }),
        h.display({
          id: 'actions',
          header: 'Actions',
          cell: (i) => (props.canWrite ? <RevokeButton apiKey={i.row.original} /> : null),
        }),
      ]),
    [timeZone, props.canWrite],
  );
  return (
    <Stack gap="sm" component="section" aria-labelledby="api-keys-title">
      <Title order={3} size="h5" id="api-keys-title">
        API keys
      </Title>
      <Text size="sm">
        Scripts upload with a key of a technical user. A key is shown once when created and stored hashed:
        copy it then.
      </Text>
      <QueryView query={keys} loading="Loading API keys…">
        {(data) => (
          <DataTable
            data={data.items}
            columns={columns}
            caption="API keys"
            getRowId={(k) => k.id}
            empty={<EmptyState title="No API keys yet">Create one below for your upload script.</EmptyState>}
          />
        )}
      </QueryView>
      {created ? (
        <Alert color="green" variant="light" title={`Key "${created.name}" created`}>
          <CopyField
            label="New API key"
            value={created.key}
            testId="new-api-key"
            description="Shown only now: store it in your script's secret settings."
          />
        </Alert>
      ) : null}
      {props.canWrite ? (
        <form onSubmit={submit} aria-label="Create an API key">
          <Stack gap="xs">
            {create.isError ? (
              <Alert color="red" variant="light" role="alert">
                {errorMessage(create.error)}
              </Alert>
            ) : null}
            <TextInput
              label="Key name"
              placeholder="nightly HR export"
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              required
            />
            <Checkbox.Group label="Scopes" value={chosen} onChange={setChosen} required>
              <Stack gap={4} mt={4}>
                {scopes.map((s) => (
                  <Checkbox key={s} value={s} label={scopeLabels[s]} />
                ))}
              </Stack>
            </Checkbox.Group>
            <Button
              type="submit"
              w="fit-content"
              loading={create.isPending}
              disabled={name.trim() === '' || chosen.length === 0}
            >
              Create API key
            </Button>
          </Stack>
        </form>
      ) : null}
    </Stack>
  );
}
