/** The company's gender choices (female, male by default); admins add more, e.g. diverse. */
import { Alert, Button, Card, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent, type ReactNode } from 'react';
import { api, errorMessage } from '../../api/client.js';
import { queryKeys, useNames } from '../../api/queries.js';
import type { AddGenderChoiceRequest, NamesResponse } from '../../api/types.js';
import { ToneBadge } from '../../components/badges.js';
import { QueryView } from '../../components/states.js';

export function GenderChoices({ canWrite }: { canWrite: boolean }): ReactNode {
  const queryClient = useQueryClient();
  const choices = useNames('gender-choices');
  const [value, setValue] = useState('');
  const add = useMutation({
    mutationFn: (body: AddGenderChoiceRequest) => api.post<NamesResponse>('/gender-choices', body),
    onSuccess: (r) => {
      queryClient.setQueryData(queryKeys.names('gender-choices'), r);
      setValue('');
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (value.trim() !== '') add.mutate({ value: value.trim() });
  };
  return (
    <Card withBorder padding="md" radius="md" component="section" aria-labelledby="gender-title">
      <Stack gap="sm">
        <Title order={2} size="h4" id="gender-title">
          Gender choices
        </Title>
        <Text size="sm">
          HR values map onto these. A value without a choice is reported on the run and left empty: add the
          choice (Personio has female, male, diverse and undefined).
        </Text>
        <QueryView query={choices} loading="Loading gender choices…">
          {(data) => (
            <Group gap="xs" role="list" aria-label="Gender choices">
              {data.items.map((c) => (
                <span role="listitem" key={c}>
                  <ToneBadge tone="blue">{c}</ToneBadge>
                </span>
              ))}
            </Group>
          )}
        </QueryView>
        {canWrite ? (
          <form onSubmit={submit} aria-label="Add a gender choice">
            <Group align="flex-end" gap="xs">
              <TextInput
                label="New choice"
                value={value}
                onChange={(e) => setValue(e.currentTarget.value)}
                w={220}
              />
              <Button type="submit" variant="default" loading={add.isPending} disabled={value.trim() === ''}>
                Add choice
              </Button>
            </Group>
            {add.isError ? (
              <Alert color="red" variant="light" role="alert" mt="xs">
                {errorMessage(add.error)}
              </Alert>
            ) : null}
          </form>
        ) : null}
      </Stack>
    </Card>
  );
}
