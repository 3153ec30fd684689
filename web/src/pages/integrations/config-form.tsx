/** The settings form of a provider, generated from its field list and JSON Schema (secrets as password inputs). */
import {
  Alert,
  Button,
  Group,
  NumberInput,
  PasswordInput,
  Select,
  Stack,
  Switch,
  TextInput,
} from '@mantine/core';
import { useState, type FormEvent, type ReactNode } from 'react';
import { ApiRequestError, errorMessage } from '../../api/client.js';
import type { ProviderConfigField, ProviderView } from '../../api/types.js';

interface PropertySchema {
  readonly type?: string;
  readonly enum?: readonly unknown[];
  readonly format?: string;
  readonly default?: unknown;
  readonly description?: string;
}

/** What the form needs to know about one field, from `configFields` and the JSON Schema. */
export interface FormField extends ProviderConfigField {
  readonly kind: 'text' | 'secret' | 'number' | 'boolean' | 'choice';
  readonly required: boolean;
  readonly choices: readonly string[];
  readonly defaultValue: string;
}

const asRecord = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

/**
 * The fields of a provider's form in `configFields` order; schema properties without a
 * `configFields` entry are added after them so no setting is unreachable.
 */
export function formFieldsOf(provider: ProviderView): FormField[] {
  const schema = asRecord(provider.configSchema);
  const properties = asRecord(schema['properties']);
  const required = new Set(Array.isArray(schema['required']) ? schema['required'].map(String) : []);
  const listed = new Set(provider.configFields.map((f) => f.key));
  const extra: ProviderConfigField[] = Object.keys(properties)
    .filter((key) => !listed.has(key))
    .map((key) => ({ key, label: key, secret: provider.secretFields.includes(key) }));
  return [...provider.configFields, ...extra].map((f) => {
    const p = asRecord(properties[f.key]) as PropertySchema;
    const choices = Array.isArray(p.enum) ? p.enum.map(String) : [];
    const kind: FormField['kind'] =
      f.secret || provider.secretFields.includes(f.key)
        ? 'secret'
        : choices.length > 0
          ? 'choice'
          : p.type === 'boolean'
            ? 'boolean'
            : p.type === 'number' || p.type === 'integer'
              ? 'number'
              : 'text';
    const help = f.help ?? p.description;
    return {
      ...f,
      ...(help === undefined ? {} : { help }),
      kind,
      required: required.has(f.key) && p.default === undefined,
      choices,
      defaultValue:
        typeof p.default === 'string' || typeof p.default === 'number' || typeof p.default === 'boolean'
          ? String(p.default)
          : '',
    };
  });
}

/** `config.apiKey` (route schema) and `apiKey` (provider schema) both name the field `apiKey`. */
const fieldKey = (field: string): string => field.replace(/^config\./, '');

export interface ConfigFormProps {
  readonly provider: ProviderView;
  /** `update`: secrets start empty and are kept unless typed again; public values start as saved. */
  readonly mode: 'connect' | 'update';
  readonly publicConfig?: Readonly<Record<string, string>>;
  readonly submitLabel: string;
  readonly pending: boolean;
  /** The last failed submit: its message is shown inline, the fields it names are marked. */
  readonly error: unknown;
  readonly onSubmit: (config: Record<string, unknown>) => void;
  readonly onCancel: () => void;
}

export function ConfigForm(props: ConfigFormProps): ReactNode {
  const fields = formFieldsOf(props.provider);
  const initial = (f: FormField): string =>
    f.kind === 'secret'
      ? ''
      : (props.publicConfig?.[f.key] ?? (props.mode === 'connect' ? f.defaultValue : ''));
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(fields.map((f) => [f.key, initial(f)])),
  );
  const problems = props.error instanceof ApiRequestError ? props.error.fieldProblems : [];
  const problemOf = (key: string): string | undefined =>
    problems.find((p) => fieldKey(p.field) === key)?.message;
  const set = (key: string, value: string) => setValues((v) => ({ ...v, [key]: value }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const config: Record<string, unknown> = {};
    for (const f of fields) {
      const raw = values[f.key] ?? '';
      if (props.mode === 'update' && (raw === '' || raw === initial(f))) continue;
      if (raw === '' && f.kind !== 'boolean') continue;
      config[f.key] = f.kind === 'number' ? Number(raw) : f.kind === 'boolean' ? raw === 'true' : raw;
    }
    props.onSubmit(config);
  };

  const idBase = `config-${props.provider.id}`;
  return (
    <form onSubmit={submit} noValidate aria-label={`${props.provider.title} settings`}>
      <Stack gap="sm">
        {props.error ? (
          <Alert color="red" variant="light" title="Not connected" role="alert" data-testid="connect-error">
            {errorMessage(props.error)}
          </Alert>
        ) : null}
        {fields.map((f) => {
          const common = {
            id: `${idBase}-${f.key}`,
            label: f.label,
            description:
              props.mode === 'update' && f.kind === 'secret'
                ? 'Saved and never shown again. Leave empty to keep it, or paste a new one.'
                : f.help,
            error: problemOf(f.key),
            required: props.mode === 'connect' && f.required,
          };
          const value = values[f.key] ?? '';
          if (f.kind === 'secret') {
            return (
              <PasswordInput
                key={f.key}
                {...common}
                autoComplete="new-password"
                placeholder={props.mode === 'update' ? '•••••••• (saved)' : f.placeholder}
                value={value}
                onChange={(e) => set(f.key, e.currentTarget.value)}
              />
            );
          }
          if (f.kind === 'choice') {
            return (
              <Select
                key={f.key}
                {...common}
                data={[...f.choices]}
                value={value === '' ? null : value}
                onChange={(v) => set(f.key, v ?? '')}
                allowDeselect={!f.required}
              />
            );
          }
          if (f.kind === 'boolean') {
            return (
              <Switch
                key={f.key}
                id={common.id}
                label={f.label}
                description={common.description}
                error={common.error}
                checked={value === 'true'}
                onChange={(e) => set(f.key, e.currentTarget.checked ? 'true' : 'false')}
              />
            );
          }
          if (f.kind === 'number') {
            return (
              <NumberInput
                key={f.key}
                {...common}
                placeholder={f.placeholder}
                value={value}
                onChange={(v) => set(f.key, String(v))}
              />
            );
          }
          return (
            <TextInput
              key={f.key}
              {...common}
              placeholder={f.placeholder}
              autoComplete="off"
              spellCheck={false}
              value={value}
              onChange={(e) => set(f.key, e.currentTarget.value)}
            />
          );
        })}
        <Group gap="xs">
          <Button type="submit" loading={props.pending}>
            {props.submitLabel}
          </Button>
          <Button variant="default" onClick={props.onCancel} disabled={props.pending}>
            Cancel
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
