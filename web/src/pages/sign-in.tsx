/** Sign in with email and password (and the company, for admins of several). */
import { Alert, Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { api, errorMessage, setCsrfToken } from '../api/client.js';
import { queryKeys } from '../api/queries.js';
import type { LoginRequest, SessionResponse } from '../api/types.js';

export function SignInPage(): ReactNode {
  const queryClient = useQueryClient();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [tenant, setTenant] = useState('');
  useEffect(() => {
    document.title = 'Sign in · rostersync';
  }, []);
  const login = useMutation({
    mutationFn: (body: LoginRequest) => api.post<SessionResponse>('/session', body),
    onSuccess: (session) => {
      setCsrfToken(session.csrfToken);
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== queryKeys.session[0] });
      queryClient.setQueryData(queryKeys.session, session);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    login.mutate({
      email: email.trim(),
      password,
      ...(tenant.trim() === '' ? {} : { tenant: tenant.trim() }),
    });
  };
  return (
    <Center component="main" mih="100vh" p="md" bg="gray.0">
      <Paper withBorder shadow="sm" p="xl" radius="md" w="100%" maw={420}>
        <form onSubmit={submit} noValidate>
          <Stack>
            <div>
              <Title order={1} size="h2">
                Sign in to rostersync
              </Title>
              <Text size="sm">Company managers keep the user directory in step with the HR system here.</Text>
            </div>
            {login.isError ? (
              <Alert color="red" variant="light" title="Could not sign in" role="alert">
                {errorMessage(login.error)}
              </Alert>
            ) : null}
            <TextInput
              label="Email"
              type="email"
              autoComplete="username"
              required
              value={email}
              onChange={(e) => setEmail(e.currentTarget.value)}
              data-autofocus
            />
            <PasswordInput
              label="Password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
            />
            <TextInput
              label="Company (optional)"
              description="Only needed when you manage several companies: the company's short name."
              autoComplete="organization"
              value={tenant}
              onChange={(e) => setTenant(e.currentTarget.value)}
            />
            <Button type="submit" loading={login.isPending} disabled={email.trim() === '' || password === ''}>
              Sign in
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
