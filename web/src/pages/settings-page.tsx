/** Company settings: time zone, daily sync time, leavers, mass-change threshold, people to notify, gender choices. */
import {
  Alert,
  Button,
  Card,
  Group,
  NumberInput,
  Radio,
  Select,
  Stack,
  Switch,
  TagsInput,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { ApiRequestError, api, errorMessage } from '../api/client.js';
import { queryKeys, useSettings } from '../api/queries.js';
import type { LeaverPolicy, SettingsPatchRequest, SettingsView } from '../api/types.js';
import { useCanWrite } from '../app/session.js';
import { Page } from '../components/page.js';
import { QueryView } from '../components/states.js';
import { cronOfDailyTime, dailyTimeOf, formatDateTime } from '../lib/format.js';
import { GenderChoices } from './settings/gender-choices.js';
import { ApiKeysSection } from './integrations/api-keys-section.js';

const timeZones = (): string[] => {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return ['UTC', 'Europe/Berlin', 'Europe/London', 'Europe/Paris', 'America/New_York'];
  }
};

function SettingsForm({ settings }: { settings: SettingsView }): ReactNode {
  const queryClient = useQueryClient();
  const canWrite = useCanWrite();
  const zones = useMemo(() => {
    const all = timeZones();
    return all.includes(settings.timezone) ? all : [settings.timezone, ...all];
  }, [settings.timezone]);
  const daily = dailyTimeOf(settings.syncCron);
  const [timezone, setTimezone] = useState(settings.timezone);
  const [time, setTime] = useState(daily ?? '');
  const [cron, setCron] = useState(settings.syncCron);
  const [leaverPolicy, setLeaverPolicy] = useState<LeaverPolicy>(settings.leaverPolicy);
  const [threshold, setThreshold] = useState<number | string>(
    Math.round(settings.deletionThreshold * 1000) / 10,
  );
  const [manual, setManual] = useState(settings.allowManualUsers);
  const [technical, setTechnical] = useState(settings.technicalUserEmail ?? '');
  const [recipients, setRecipients] = useState<string[]>([...settings.notificationRecipients]);
  const save = useMutation({
    mutationFn: (patch: SettingsPatchRequest) => api.patch<SettingsView>('/settings', patch),
    onSuccess: (s) => {
      queryClient.setQueryData(queryKeys.settings, s);
      void queryClient.invalidateQueries({ queryKey: queryKeys.integration });
    },
  });
  const problems = save.error instanceof ApiRequestError ? save.error.fieldProblems : [];
  const problem = (field: string) => problems.find((p) => p.field === field)?.message;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const syncCron = daily !== null ? (cronOfDailyTime(time) ?? settings.syncCron) : cron.trim();
    save.mutate({
      timezone,
      syncCron,
      leaverPolicy,
      deletionThreshold: Number(threshold) / 100,
      allowManualUsers: manual,
      technicalUserEmail: technical.trim() === '' ? null : technical.trim(),
      notificationRecipients: recipients,
    });
  };
  return (
    <form onSubmit={submit} aria-label="Company settings">
      <Stack gap="md">
        {save.isError ? (
          <Alert color="red" variant="light" title="Settings not saved" role="alert">
            {errorMessage(save.error)}
          </Alert>
        ) : save.isSuccess ? (
          <Alert color="green" variant="light" role="status">
            Saved. Next sync: {formatDateTime(save.data.nextRunAt, save.data.timezone)}.
          </Alert>
        ) : null}
        <Card withBorder padding="md" radius="md">
          <Stack gap="sm">
            <Title order={2} size="h4">
              Schedule
            </Title>
            <Select
              label="Time zone"
              data={zones}
              searchable
              value={timezone}
              onChange={(v) => setTimezone(v ?? settings.timezone)}
              allowDeselect={false}
              error={problem('timezone')}
              maw={360}
            />
            {daily !== null ? (
              <TextInput
                label="Daily sync time"
                description="Users sync every morning at this time, in the company's time zone."
                type="time"
                value={time}
                onChange={(e) => setTime(e.currentTarget.value)}
                error={problem('syncCron')}
                maw={200}
              />
            ) : (
              <TextInput
                label="Sync schedule (cron)"
                description="Five fields in the company's time zone, e.g. 0 6 * * 1-5 for weekdays at 06:00."
                value={cron}
                onChange={(e) => setCron(e.currentTarget.value)}
                error={problem('syncCron')}
                maw={360}
              />
            )}
            <Text size="sm">Next sync: {formatDateTime(settings.nextRunAt, settings.timezone)}</Text>
          </Stack>
        </Card>
        <Card withBorder padding="md" radius="md">
          <Stack gap="sm">
            <Title order={2} size="h4">
              Leavers and safety
            </Title>
            <Radio.Group
              label="When someone leaves the HR system"
              value={leaverPolicy}
              onChange={setLeaverPolicy}
            >
              <Stack gap={6} mt={6}>
                <Radio value="deactivate" label="Deactivate the user (keeps the account and its history)" />
                <Radio value="delete" label="Delete the user" />
              </Stack>
            </Radio.Group>
            <NumberInput
              label="Mass-change threshold (%)"
              description="A full sync that would deactivate or delete more than this share of active synced users stops and waits for your confirmation."
              min={0}
              max={100}
              step={1}
              value={threshold}
              onChange={setThreshold}
              error={problem('deletionThreshold')}
              maw={260}
            />
            <Switch
              label="Allow users created by hand while an HR system is connected"
              checked={manual}
              onChange={(e) => setManual(e.currentTarget.checked)}
            />
          </Stack>
        </Card>
        <Card withBorder padding="md" radius="md">
          <Stack gap="sm">
            <Title order={2} size="h4">
              Notifications
            </Title>
            <TextInput
              label="Technical user"
              description="Receives error files and notification emails, and holds the upload API keys."
              type="email"
              value={technical}
              onChange={(e) => setTechnical(e.currentTarget.value)}
              error={problem('technicalUserEmail')}
              maw={360}
            />
            <TagsInput
              label="Also notify"
              description="Emails that get failure and recovery notices besides the admins. Press Enter after each."
              value={recipients}
              onChange={setRecipients}
              error={problem('notificationRecipients')}
              maw={520}
            />
          </Stack>
        </Card>
        {canWrite ? (
          <Group>
            <Button type="submit" loading={save.isPending}>
              Save settings
            </Button>
          </Group>
        ) : null}
      </Stack>
    </form>
  );
}

export function SettingsPage(): ReactNode {
  const settings = useSettings();
  const canWrite = useCanWrite();
  return (
    <Page title="Settings" description="How and when this company syncs, and who hears about problems.">
      <QueryView query={settings} loading="Loading settings…">
        {(s) => <SettingsForm settings={s} />}
      </QueryView>
      <GenderChoices canWrite={canWrite} />
      <Card withBorder padding="md" radius="md">
        <ApiKeysSection canWrite={canWrite} />
      </Card>
    </Page>
  );
}
