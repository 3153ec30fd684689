/** The file source once enabled: the upload API's URL, API keys, and a drag-and-drop upload with a dry-run preview. */
import { Alert, Button, Card, Group, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useMemo, useState, type ReactNode } from 'react';
import { apiRequest, errorMessage } from '../../api/client.js';
import { isRunFinished, useRun } from '../../api/queries.js';
import type { RunDetail, UploadAccepted, UploadPreview } from '../../api/types.js';
import { CopyField } from '../../components/copy-field.js';
import { FileDrop } from '../../components/file-drop.js';
import { RunErrors } from '../../components/run-errors.js';
import { RunItemsTable } from '../../components/run-items.js';
import { RunProgress } from '../../components/run-progress.js';
import { countsSummary } from '../../lib/format.js';
import { ApiKeysSection } from './api-keys-section.js';

/** Posts the file as multipart `file`; with a key the upload runs as that key, else as the signed-in admin. */
function upload(o: { file: File; dryRun: boolean; apiKey: string }) {
  const body = new FormData();
  body.append('file', o.file, o.file.name);
  return apiRequest<UploadPreview | UploadAccepted>({
    method: 'POST',
    path: '/hr-data/employees',
    query: o.dryRun ? { dryRun: 'true' } : {},
    body,
    ...(o.apiKey.trim() === '' ? {} : { headers: { authorization: `Bearer ${o.apiKey.trim()}` } }),
  });
}

function DryRunResult({ run }: { run: RunDetail }): ReactNode {
  const problem = (a: string) => a === 'error' || a === 'warning';
  const errors = useMemo(() => run.items.items.filter((i) => problem(i.action)), [run]);
  const changes = useMemo(
    () => run.items.items.filter((i) => i.action !== 'unchanged' && !problem(i.action)),
    [run],
  );
  return (
    <Stack gap="xs" data-testid="upload-preview">
      <Alert
        variant="light"
        color={run.counts.errors > 0 ? 'orange' : 'blue'}
        title="Preview: nothing applied yet"
      >
        This file would make these changes: {countsSummary(run.counts)}.
        {run.status === 'blocked' || run.message ? ` ${run.message ?? ''}` : ''}
      </Alert>
      {errors.length > 0 ? (
        <>
          <Text fw={600}>Rows with problems (they are skipped; the other rows sync):</Text>
          <RunItemsTable items={errors} dryRun={false} caption="Rows with errors or warnings" />
        </>
      ) : null}
      {changes.length > 0 ? <RunItemsTable items={changes} dryRun caption="Planned changes" /> : null}
    </Stack>
  );
}

/** Once the applied upload's run finishes: its errors and the error file. */
function AppliedUpload({ runId }: { runId: string }): ReactNode {
  const run = useRun({ id: runId, limit: 1 });
  return (
    <Stack gap="sm">
      <RunProgress runId={runId} title="Upload sync" />
      {run.data && isRunFinished(run.data.status) ? <RunErrors run={run.data} /> : null}
    </Stack>
  );
}

export function FileUploadPanel(props: { title: string; canWrite: boolean }): ReactNode {
  const [apiKey, setApiKey] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<RunDetail | null>(null);
  const [appliedRunId, setAppliedRunId] = useState<string | null>(null);
  const origin = window.location.origin;
  const dryRun = useMutation({
    mutationFn: (f: File) => upload({ file: f, dryRun: true, apiKey }),
    onMutate: () => {
      setPreview(null);
      setAppliedRunId(null);
    },
    onSuccess: (r) => setPreview('run' in r ? r.run : null),
  });
  const apply = useMutation({
    mutationFn: (f: File) => upload({ file: f, dryRun: false, apiKey }),
    onSuccess: (r) => {
      setPreview(null);
      setAppliedRunId('runId' in r ? r.runId : null);
    },
  });
  const choose = (f: File) => {
    setFile(f);
    dryRun.mutate(f);
  };
  const failure = dryRun.error ?? apply.error;
  return (
    <Card withBorder radius="md" padding="lg" component="section" aria-labelledby="file-upload-title">
      <Stack>
        <Title order={2} size="h3" id="file-upload-title">
          {props.title}: upload
        </Title>
        <Text size="sm">
          Every upload is the full roster of active employees: people missing from it leave. Scripts send the
          file to the upload API with an API key; you can also drop a file here.
        </Text>
        <CopyField label="Employee upload URL" value={`${origin}/api/v1/hr-data/employees`} />
        <CopyField label="Position upload URL" value={`${origin}/api/v1/hr-data/positions`} />
        <ApiKeysSection canWrite={props.canWrite} onUploadKey={setApiKey} />
        {props.canWrite ? (
          <Stack gap="sm" component="section" aria-labelledby="upload-title">
            <Title order={3} size="h5" id="upload-title">
              Upload a file
            </Title>
            <PasswordInput
              label="Upload with API key (optional)"
              description="Uploads run as this key (hr-data:write). A key created above is filled in for you; it is not stored."
              autoComplete="off"
              value={apiKey}
              onChange={(e) => setApiKey(e.currentTarget.value)}
            />
            <FileDrop
              label="Employee file (CSV or XML)"
              hint="Drop the file here or choose it: you see a preview first, nothing is applied."
              accept=".csv,.xml,text/csv,application/xml,text/xml"
              disabled={dryRun.isPending || apply.isPending}
              onFile={choose}
            />
            {dryRun.isPending ? <Text role="status">Reading {file?.name}…</Text> : null}
            {failure ? (
              <Alert
                color="red"
                variant="light"
                title="The file was not accepted"
                role="alert"
                data-testid="upload-error"
              >
                {errorMessage(failure)}
              </Alert>
            ) : null}
            {preview && file ? (
              <>
                <DryRunResult run={preview} />
                <Group gap="xs">
                  <Button onClick={() => apply.mutate(file)} loading={apply.isPending}>
                    Apply this file
                  </Button>
                  <Button variant="default" onClick={() => setPreview(null)}>
                    Discard
                  </Button>
                </Group>
              </>
            ) : null}
            {appliedRunId ? <AppliedUpload runId={appliedRunId} /> : null}
          </Stack>
        ) : null}
      </Stack>
    </Card>
  );
}
