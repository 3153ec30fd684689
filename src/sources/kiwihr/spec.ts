/** KiwiHR connection settings (API key + GraphQL URL), the fields it manages and the admin's setup steps. */
import { z } from 'zod';
import type { ManagedField } from '../../core/model.js';
import type { ConfigFieldSpec, SourceSpec } from '../contract.js';
import { kiwihrUrlFormat, parseKiwihrUrl } from './endpoint.js';

/**
 * The stored config. The schema checks the URL's shape (loopback passes here); whether a loopback
 * emulator may be used is decided at run time from `ctx.allowLoopback`.
 */
export const kiwihrConfigSchema = z.object({
  apiKey: z.string().trim().min(1, 'Enter the API key created in KiwiHR under Settings → API keys.'),
  url: z
    .string()
    .trim()
    .min(1, `Enter your KiwiHR GraphQL URL, like ${kiwihrUrlFormat}.`)
    .superRefine((value, issue) => {
      const parsed = parseKiwihrUrl(value, { allowLoopback: true });
      if (!parsed.ok) issue.addIssue({ code: 'custom', message: parsed.error.message });
    }),
});
export type KiwihrConfig = z.infer<typeof kiwihrConfigSchema>;

export const kiwihrConfigFields: readonly ConfigFieldSpec[] = [
  {
    key: 'apiKey',
    label: 'API key',
    secret: true,
    help: 'Created in KiwiHR under Settings → API keys → New access key. KiwiHR shows it only once.',
  },
  {
    key: 'url',
    label: 'KiwiHR URL',
    secret: false,
    help:
      'Your KiwiHR address from the browser bar with /api/graphql appended. ' +
      'The public endpoint https://api.kiwihr.com/api/graphql/public works too.',
    placeholder: 'https://yourcompany.kiwihr.com/api/graphql',
  },
];

/** Exactly what the KiwiHR setup guide says is synchronized, plus status, teams, manager and contract end. */
export const kiwihrManagedFields: readonly ManagedField[] = [
  'firstName',
  'lastName',
  'email',
  'birthDate',
  'employeeNumber',
  'jobTitle',
  'currentHiredOn',
  'leavingDate',
  'groups',
  'manager',
  'active',
];

export const kiwihrSpec: SourceSpec<KiwihrConfig> = {
  id: 'kiwihr',
  title: 'KiwiHR',
  configSchema: kiwihrConfigSchema,
  secretFields: ['apiKey'],
  configFields: kiwihrConfigFields,
  managedFields: kiwihrManagedFields,
  webhooks: false,
  setupSteps: [
    'In KiwiHR, open Settings → API keys, click "New access key", name it (for example "rostersync") and click "Add key".',
    'Copy the key at once and keep it safe: KiwiHR shows it only once. If it is lost, create a new one.',
    'Copy your KiwiHR address from the browser bar (for example https://yourcompany.kiwihr.com) and append /api/graphql.',
    'In rostersync, open Integrations → KiwiHR → Connect (company manager rights needed), paste the key and the URL, and confirm.',
    'Users sync every morning. KiwiHR teams become groups: missing groups are created, none are ever deleted.',
  ],
};
