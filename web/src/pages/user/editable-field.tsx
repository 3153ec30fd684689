/** One user field: read-only with a "managed by" badge when the source owns it, else edited and saved inline. */
import { Button, Group, Select, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent, type ReactNode } from 'react';
import { errorMessage } from '../../api/client.js';
import { ManagedBadge } from '../../components/badges.js';
import { fieldLabel } from '../../lib/format.js';

export interface EditableFieldProps {
  readonly field: string;
  readonly value: string | null;
  readonly kind: 'text' | 'date' | 'email' | 'choice';
  readonly choices?: readonly string[];
  /** The source's title when the field is managed (read-only), else null. */
  readonly managedBy: string | null;
  readonly canWrite: boolean;
  /** Saves the new value (null clears it); rejects with the API's error. */
  readonly onSave: (value: string | null) => Promise<unknown>;
}

export function EditableField(props: EditableFieldProps): ReactNode {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(props.value ?? '');
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const label = fieldLabel(props.field);
  const inputId = `field-${props.field}`;

  const start = () => {
    setDraft(props.value ?? '');
    setError(null);
    setEditing(true);
  };
  const save = async (event: FormEvent) => {
    event.preventDefault();
    setSaving(true);
    setError(null);
    try {
      await props.onSave(draft.trim() === '' ? null : draft.trim());
      setEditing(false);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setSaving(false);
    }
  };

  const shown = props.value === null || props.value === '' ? '—' : props.value;
  if (!editing) {
    return (
      <Group gap="xs" wrap="nowrap" justify="space-between" data-field={props.field}>
        <Text size="sm" style={{ wordBreak: 'break-word' }}>
          {shown}
        </Text>
        {props.managedBy ? (
          <ManagedBadge title={props.managedBy} />
        ) : props.canWrite ? (
          <Button size="compact-xs" variant="default" onClick={start} aria-label={`Edit ${label}`}>
            Edit
          </Button>
        ) : null}
      </Group>
    );
  }
  const common = {
    id: inputId,
    label,
    error,
    size: 'xs' as const,
    style: { flex: 1 },
    'data-autofocus': true,
  };
  return (
    <form
      onSubmit={(e) => void save(e)}
      onKeyDown={(e) => {
        if (e.key === 'Escape') setEditing(false);
      }}
      data-field={props.field}
    >
      <Group gap="xs" align="flex-end" wrap="nowrap">
        {props.kind === 'choice' ? (
          <Select
            {...common}
            data={[...(props.choices ?? [])]}
            value={draft === '' ? null : draft}
            onChange={(v) => setDraft(v ?? '')}
            clearable
          />
        ) : (
          <TextInput
            {...common}
            type={props.kind === 'date' ? 'date' : props.kind === 'email' ? 'email' : 'text'}
            value={draft}
            autoFocus
            onChange={(e) => setDraft(e.currentTarget.value)}
          />
        )}
        <Button size="xs" type="submit" loading={saving}>
          Save
        </Button>
        <Button size="xs" variant="default" onClick={() => setEditing(false)} disabled={saving}>
          Cancel
        </Button>
      </Group>
    </form>
  );
}
