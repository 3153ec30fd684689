/** A user: every field (managed ones read-only with a badge), manager and reports, groups, audit history. */
import { Alert, Anchor, Card, Group, List, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../../api/client.js';
import { queryKeys, useNames, useTenantTimeZone, useUser } from '../../api/queries.js';
import type { ManagedField, UserDetail, UserRef, UserWriteRequest } from '../../api/types.js';
import { useCanWrite } from '../../app/session.js';
import { ActiveBadge, ManagedBadge } from '../../components/badges.js';
import { Page } from '../../components/page.js';
import { QueryView } from '../../components/states.js';
import {
  dateFieldSet,
  fieldLabel,
  formatDateTime,
  personFieldOrder,
  personName,
  type PersonField,
} from '../../lib/format.js';
import { EditableField } from './editable-field.js';
import { UserHistory } from './history.js';

function PersonLink({ person }: { person: UserRef }): ReactNode {
  return (
    <Anchor component={Link} to={`/users/${encodeURIComponent(person.id)}`}>
      {personName(person)}
      {person.active ? '' : ' (inactive)'}
    </Anchor>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }): ReactNode {
  const id = `section-${title.toLowerCase().replace(/[^a-z]+/g, '-')}`;
  return (
    <Card withBorder radius="md" padding="md" component="section" aria-labelledby={id}>
      <Stack gap="sm">
        <Title order={2} size="h4" id={id}>
          {title}
        </Title>
        {children}
      </Stack>
    </Card>
  );
}

function UserView({ user }: { user: UserDetail }): ReactNode {
  const queryClient = useQueryClient();
  const canWrite = useCanWrite();
  const timeZone = useTenantTimeZone();
  const genders = useNames('gender-choices');
  const managed = new Set<ManagedField>(user.managedFields);
  const source = user.managedBy?.title ?? null;
  const save = useMutation({
    mutationFn: (patch: UserWriteRequest) =>
      api.patch<UserDetail>(`/users/${encodeURIComponent(user.id)}`, patch),
    onSuccess: (updated) => {
      queryClient.setQueryData(queryKeys.user(user.id), updated);
      void queryClient.invalidateQueries({ queryKey: ['users'] });
    },
  });
  const kindOf = (f: PersonField) =>
    f === 'gender'
      ? ('choice' as const)
      : dateFieldSet.has(f)
        ? ('date' as const)
        : f === 'email'
          ? ('email' as const)
          : ('text' as const);
  const people = new Map<string, string>([
    ...(user.manager ? [[user.manager.id, personName(user.manager)] as const] : []),
    ...user.reports.map((r) => [r.id, personName(r)] as const),
  ]);
  return (
    <Page
      title={personName(user)}
      badge={
        <Group gap="xs">
          <ActiveBadge active={user.active} />
          {source ? <ManagedBadge title={source} /> : null}
        </Group>
      }
      description={
        source
          ? `Synced from ${source}: its fields change there. The fields without a badge can be edited here.`
          : 'Not linked to an HR system: every field can be edited here.'
      }
    >
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
        <Section title="Fields">
          <dl
            style={{
              display: 'grid',
              gridTemplateColumns: 'minmax(120px, max-content) 1fr',
              gap: '8px 16px',
              margin: 0,
            }}
          >
            {personFieldOrder.map((f) => (
              <div key={f} style={{ display: 'contents' }}>
                <dt style={{ fontWeight: 600, fontSize: 14 }}>{fieldLabel(f)}</dt>
                <dd style={{ margin: 0 }}>
                  <EditableField
                    field={f}
                    value={user[f]}
                    kind={kindOf(f)}
                    choices={genders.data?.items ?? []}
                    managedBy={managed.has(f) ? source : null}
                    canWrite={canWrite}
                    onSave={(value) => save.mutateAsync({ [f]: value })}
                  />
                </dd>
              </div>
            ))}
          </dl>
          <Text size="xs">
            Created {formatDateTime(user.createdAt, timeZone)}, last changed{' '}
            {formatDateTime(user.updatedAt, timeZone)}
            {user.sourceId ? ` · ${source ?? 'source'} id ${user.sourceId}` : ''}
          </Text>
        </Section>
        <Stack gap="md">
          <Section title="Manager and reports">
            <Group gap="xs">
              <Text size="sm" fw={600}>
                Manager:
              </Text>
              {user.manager ? <PersonLink person={user.manager} /> : <Text size="sm">none</Text>}
              {managed.has('manager') && source ? <ManagedBadge title={source} /> : null}
            </Group>
            {user.reports.length > 0 ? (
              <>
                <Text size="sm" fw={600}>
                  Reports ({user.reports.length}):
                </Text>
                <List size="sm" spacing={2}>
                  {user.reports.map((r) => (
                    <List.Item key={r.id}>
                      <PersonLink person={r} />
                    </List.Item>
                  ))}
                </List>
              </>
            ) : (
              <Text size="sm">No reports.</Text>
            )}
          </Section>
          <Section title="Groups">
            {managed.has('groups') && source ? (
              <Text size="sm">Memberships follow the teams in {source}: a sync adds and removes them.</Text>
            ) : null}
            {user.groups.length > 0 ? (
              <List size="sm" spacing={2}>
                {user.groups.map((g) => (
                  <List.Item key={g.id}>
                    <Anchor component={Link} to={`/users?groupId=${encodeURIComponent(g.id)}`}>
                      {g.name}
                    </Anchor>
                  </List.Item>
                ))}
              </List>
            ) : (
              <Text size="sm">In no group.</Text>
            )}
          </Section>
          <Section title="History">
            <UserHistory
              history={user.history}
              {...(source ? { providerTitle: source } : {})}
              {...(timeZone ? { timeZone } : {})}
              nameOf={(id) => people.get(id)}
            />
          </Section>
        </Stack>
      </SimpleGrid>
      {!user.active && user.leavingDate ? (
        <Alert variant="light" color="gray" title="Inactive">
          Left on {user.leavingDate}.
        </Alert>
      ) : null}
    </Page>
  );
}

export function UserPage(): ReactNode {
  const { id = '' } = useParams();
  const user = useUser(id);
  return (
    <QueryView query={user} loading="Loading the user…" errorTitle="Could not load this user">
      {(u) => <UserView user={u} />}
    </QueryView>
  );
}
