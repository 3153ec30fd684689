// People HR connector spec: config schema (API key, emulator-only base URL), managed fields, setup steps.
import { z } from 'zod';
import type { ManagedField } from '../../core/model.js';
import type { ConfigFieldSpec, SourceSpec } from '../contract.js';

/** The only production endpoint; every call is a POST of a JSON body to `<baseUrl>/<Resource>`. */
export const PEOPLEHR_DEFAULT_BASE_URL = 'https://api.peoplehr.net';

/** Hosts the connector may talk to without the loopback switch (SSRF allow-list). */
export const PEOPLEHR_ALLOWED_HOSTS = /^api\.peoplehr\.net$/i;

/**
 * Connection settings. `baseUrl` is not shown in the UI: it exists so the demo and the tests can
 * point the connector at the local emulator, and it is refused unless loopback sources are allowed.
 */
export const peopleHrConfigSchema = z.object({
  apiKey: z
    .string()
    .trim()
    .min(1, 'Paste the API key created in People HR under Settings > API.')
    .max(100, 'This is much longer than a People HR API key (about 36 characters): paste only the key.'),
  baseUrl: z.url({ error: 'The base URL must be a full URL such as http://127.0.0.1:4010.' }).optional(),
});

export type PeopleHrConfig = z.infer<typeof peopleHrConfigSchema>;

export const peopleHrConfigFields: readonly ConfigFieldSpec[] = [
  {
    key: 'apiKey',
    label: 'API key',
    secret: true,
    help:
      'In People HR: Settings > API, add a key with the Employee permissions "Get All Employee Detail" ' +
      'and "Get Employee Detail By Id", then copy it with the clipboard icon.',
    placeholder: '5127e153-2c80-492b-a9e4-fb3e50af61a8',
  },
];

/** Exactly the fields of the Frankli/People HR seed, plus the active flag derived from leavers. */
export const peopleHrManagedFields: readonly ManagedField[] = [
  'firstName',
  'lastName',
  'email',
  'manager',
  'firstHiredOn',
  'department',
  'jobTitle',
  'location',
  'leavingDate',
  'active',
];

export const peopleHrSpec: SourceSpec<PeopleHrConfig> = {
  id: 'peoplehr',
  title: 'People HR',
  configSchema: peopleHrConfigSchema,
  secretFields: ['apiKey'],
  configFields: peopleHrConfigFields,
  managedFields: peopleHrManagedFields,
  webhooks: true,
  setupSteps: [
    'In People HR, open HR Admin, then Settings > API, and add a new API key (name it "rostersync").',
    'Leave "IP Addresses" empty.',
    'Under Application, choose Employee and enable "Get All Employee Detail" and "Get Employee Detail By Id". rostersync only reads; it never changes People HR.',
    'Save the key, copy it with the clipboard icon and paste it here, then click Connect: the key is checked and a full sync runs.',
    'Copy the webhook URL rostersync shows for this integration and paste it into the "Webhook URL" field of the People HR API settings, so changes arrive within seconds.',
    'If the key is ever removed in People HR, syncs fail and admins are notified once: create a new key and use "Update credentials".',
  ],
};
