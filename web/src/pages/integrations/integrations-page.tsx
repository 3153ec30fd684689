/** Settings → Integrations: a panel per HR system and the file upload; the connected one with its controls. */
import { SimpleGrid, Stack, Title } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { useIntegration, useProviders } from '../../api/queries.js';
import type { ConnectResponse } from '../../api/types.js';
import { useCanWrite } from '../../app/session.js';
import { Page } from '../../components/page.js';
import { QueryView } from '../../components/states.js';
import { ConnectedPanel } from './connected-panel.js';
import { FileUploadPanel } from './file-upload-panel.js';
import { ProviderPanel } from './provider-panel.js';

export function IntegrationsPage(): ReactNode {
  const providers = useProviders();
  const integration = useIntegration();
  const canWrite = useCanWrite();
  const [justConnected, setJustConnected] = useState<ConnectResponse | null>(null);
  return (
    <Page
      title="Integrations"
      description="Connect the HR system that is the source of truth for your people. Users sync every morning, on Sync now, and (People HR) on every change."
    >
      <QueryView query={providers} loading="Loading HR systems…">
        {(p) => (
          <QueryView query={integration} loading="Loading the connection…">
            {({ integration: current }) => {
              const connected = current?.status === 'active' ? current : null;
              const others = p.items.filter((x) => x.id !== connected?.provider);
              const shown =
                connected && justConnected?.integration.id === connected.id ? justConnected : null;
              return (
                <Stack gap="lg">
                  {connected ? (
                    <>
                      <ConnectedPanel
                        integration={connected}
                        provider={p.items.find((x) => x.id === connected.provider)}
                        justConnected={shown}
                      />
                      {connected.provider === 'file' ? (
                        <FileUploadPanel title={connected.title} canWrite={canWrite} />
                      ) : null}
                      <Title order={2} size="h4">
                        Other HR systems
                      </Title>
                    </>
                  ) : null}
                  <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
                    {others.map((provider) => (
                      <ProviderPanel
                        key={provider.id}
                        provider={provider}
                        blockedBy={connected ? connected.title : null}
                        canWrite={canWrite}
                        onConnected={setJustConnected}
                      />
                    ))}
                  </SimpleGrid>
                </Stack>
              );
            }}
          </QueryView>
        )}
      </QueryView>
    </Page>
  );
}
