/** Any path the UI does not know. */
import { Anchor, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { Page } from '../components/page.js';

export function NotFoundPage(): ReactNode {
  return (
    <Page title="Page not found">
      <Text>
        There is no such page. Go to{' '}
        <Anchor component={Link} to="/integrations">
          Integrations
        </Anchor>
        .
      </Text>
    </Page>
  );
}
