/** The routes of the admin UI, all below the app shell. */
import { createBrowserRouter, Navigate } from 'react-router';
import { GroupsPage } from '../pages/groups-page.js';
import { IntegrationsPage } from '../pages/integrations/integrations-page.js';
import { NamesPage } from '../pages/names-page.js';
import { NotFoundPage } from '../pages/not-found-page.js';
import { NotificationsPage } from '../pages/notifications-page.js';
import { RunPage } from '../pages/run/run-page.js';
import { RunsPage } from '../pages/runs-page.js';
import { SettingsPage } from '../pages/settings-page.js';
import { UserPage } from '../pages/user/user-page.js';
import { UsersPage } from '../pages/users-page.js';
import { AppLayout } from './layout.js';

export const router = createBrowserRouter([
  {
    path: '/',
    element: <AppLayout />,
    children: [
      { index: true, element: <Navigate to="/integrations" replace /> },
      { path: 'integrations', element: <IntegrationsPage /> },
      { path: 'users', element: <UsersPage /> },
      { path: 'users/:id', element: <UserPage /> },
      { path: 'groups', element: <GroupsPage /> },
      { path: 'departments', element: <NamesPage key="departments" list="departments" /> },
      { path: 'positions', element: <NamesPage key="positions" list="positions" /> },
      { path: 'locations', element: <NamesPage key="locations" list="locations" /> },
      { path: 'runs', element: <RunsPage /> },
      { path: 'runs/:id', element: <RunPage /> },
      { path: 'settings', element: <SettingsPage /> },
      { path: 'notifications', element: <NotificationsPage /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
