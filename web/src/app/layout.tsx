/** The app shell: header with company and admin, the main navigation, and the page outlet. */
import { Anchor, AppShell, Burger, Button, Group, NavLink, ScrollArea, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, type ReactNode } from 'react';
import { Link, Outlet, useLocation } from 'react-router';
import { api, setCsrfToken } from '../api/client.js';
import { queryKeys } from '../api/queries.js';
import { useCurrentSession } from './session.js';

/** The main navigation, in the order admins use it. */
export const navItems = [
  { to: '/integrations', label: 'Integrations' },
  { to: '/users', label: 'Users' },
  { to: '/groups', label: 'Groups' },
  { to: '/departments', label: 'Departments' },
  { to: '/positions', label: 'Positions' },
  { to: '/locations', label: 'Locations' },
  { to: '/runs', label: 'Sync runs' },
  { to: '/settings', label: 'Settings' },
  { to: '/notifications', label: 'Notifications' },
] as const;

function SignOutButton(): ReactNode {
  const queryClient = useQueryClient();
  const signOut = useMutation({
    mutationFn: () => api.delete<undefined>('/session'),
    onSettled: () => {
      setCsrfToken(null);
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== queryKeys.session[0] });
      void queryClient.invalidateQueries({ queryKey: queryKeys.session });
    },
  });
  return (
    <Button variant="default" size="xs" onClick={() => signOut.mutate()} loading={signOut.isPending}>
      Sign out
    </Button>
  );
}

export function AppLayout(): ReactNode {
  const session = useCurrentSession();
  const [opened, { toggle, close }] = useDisclosure(false);
  const location = useLocation();
  useEffect(close, [location.pathname, close]);
  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 220, breakpoint: 'md', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="md"
              size="sm"
              aria-label={opened ? 'Close navigation' : 'Open navigation'}
              aria-expanded={opened}
              aria-controls="main-navigation"
            />
            <Anchor component={Link} to="/integrations" fw={800} c="dark.9" underline="never">
              rostersync
            </Anchor>
            <Text fw={600} truncate="end" data-testid="tenant-name">
              {session.tenant.name}
            </Text>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <Text size="sm" truncate="end" visibleFrom="sm" data-testid="admin-email">
              {session.admin.email}
              {session.admin.role === 'viewer' ? ' (viewer)' : ''}
            </Text>
            <SignOutButton />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" id="main-navigation" component="nav" aria-label="Main">
        <ScrollArea>
          <Stack gap={2}>
            {navItems.map((item) => {
              const active = location.pathname === item.to || location.pathname.startsWith(`${item.to}/`);
              return (
                <NavLink
                  key={item.to}
                  component={Link}
                  to={item.to}
                  label={item.label}
                  active={active}
                  aria-current={active ? 'page' : undefined}
                  variant="filled"
                />
              );
            })}
          </Stack>
        </ScrollArea>
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1}>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
