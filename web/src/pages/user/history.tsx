/** A user's audit history: who or which sync changed what, newest first. */
import { Anchor, List, Text, Timeline } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { AuditView } from '../../api/types.js';
import { EmptyState } from '../../components/states.js';
import { actorText, changeText, formatDateTime } from '../../lib/format.js';

const actionWords: Readonly<Record<string, string>> = {
  create: 'Created',
  update: 'Changed',
  edit: 'Edited',
  deactivate: 'Deactivated',
  reactivate: 'Reactivated',
  delete: 'Deleted',
  link: 'Linked to the HR system',
  unlink: 'Unlinked from the HR system',
};

export function UserHistory(props: {
  history: readonly AuditView[];
  providerTitle?: string;
  timeZone?: string;
  nameOf: (userId: string) => string | undefined;
}): ReactNode {
  if (props.history.length === 0) return <EmptyState title="No changes recorded yet" />;
  return (
    <Timeline bulletSize={12} lineWidth={2} active={props.history.length}>
      {props.history.map((entry) => (
        <Timeline.Item
          key={entry.id}
          title={
            <Text size="sm" fw={600}>
              {actionWords[entry.action] ?? entry.action} by{' '}
              {entry.run ? (
                <Anchor component={Link} to={`/runs/${encodeURIComponent(entry.run.id)}`} size="sm" fw={600}>
                  {actorText({
                    entry,
                    ...(props.providerTitle ? { providerTitle: props.providerTitle } : {}),
                    ...(props.timeZone ? { timeZone: props.timeZone } : {}),
                  })}
                </Anchor>
              ) : (
                actorText({ entry, ...(props.timeZone ? { timeZone: props.timeZone } : {}) })
              )}
            </Text>
          }
        >
          <Text size="xs">{formatDateTime(entry.at, props.timeZone)}</Text>
          {entry.changes.length > 0 ? (
            <List size="sm" spacing={0} mt={4}>
              {entry.changes.map((c) => (
                <List.Item key={c.field}>{changeText(c, props.nameOf)}</List.Item>
              ))}
            </List>
          ) : null}
        </Timeline.Item>
      ))}
    </Timeline>
  );
}
