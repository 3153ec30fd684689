// Personio connector spec: config schema (client id + secret, optional API URL), form fields, managed fields.
import { z } from 'zod';
import type { SourceSpec } from '../contract.js';

/** The real API origin; the connector appends `/v1/...` itself. */
export const personioDefaultApiUrl = 'https://api.personio.de';

/** Hosts a production config may name (SSRF allow-list); loopback only with `ctx.allowLoopback`. */
export const personioAllowedHosts = /^api\.personio\.de$/i;

/** A `/v1` (or `/v1/`) an admin pasted from the docs is dropped: the client adds it to every path. */
const stripApiVersion = (url: string): string => url.trim().replace(/\/+$/, '').replace(/\/v1$/i, '');

export const personioConfigSchema = z.object({
  clientId: z
    .string({ error: 'Enter the client ID of the Personio API credential.' })
    .trim()
    .min(1, 'Enter the client ID of the Personio API credential.'),
  clientSecret: z
    .string({ error: 'Enter the client secret of the Personio API credential.' })
    .trim()
    .min(1, 'Enter the client secret of the Personio API credential.'),
  apiUrl: z
    .string()
    .trim()
    .url('The Personio API URL must be a full URL such as https://api.personio.de.')
    .transform(stripApiVersion)
    .default(personioDefaultApiUrl),
});

/** Parsed connection settings (defaults applied). */
export type PersonioConfig = z.output<typeof personioConfigSchema>;

/**
 * Static description of the Personio source. Managed fields follow the seed article
 * (`personio-to-javelo.txt`), plus the termination date as leaving date (issue #4).
 */
export const personioSpec: SourceSpec<PersonioConfig> = {
  id: 'personio',
  title: 'Personio',
  configSchema: personioConfigSchema,
  secretFields: ['clientSecret'],
  configFields: [
    {
      key: 'clientId',
      label: 'Client ID',
      secret: false,
      help: 'From Personio: Settings > Integrations > API credentials.',
    },
    {
      key: 'clientSecret',
      label: 'Client secret',
      secret: true,
      help: 'Shown once when the credential is generated in Personio. Stored encrypted, never shown again.',
    },
    {
      key: 'apiUrl',
      label: 'API URL',
      secret: false,
      help: 'Leave the default unless told otherwise.',
      placeholder: personioDefaultApiUrl,
    },
  ],
  managedFields: [
    'email',
    'firstName',
    'lastName',
    'gender',
    'department',
    'jobTitle',
    'firstHiredOn',
    'leavingDate',
    'manager',
    'active',
  ],
  webhooks: false,
  setupSteps: [
    'Sign in to Personio as an administrator.',
    'Open Settings > Integrations > API credentials and choose "Generate new credentials".',
    'Name it "rostersync", integration "other", and tick read access to Employees.',
    'Under readable employee attributes tick: email, first name, last name, gender, department, position, status, hire date, termination date, supervisor.',
    'Copy the client ID and the client secret (the secret is shown once).',
    'In rostersync open Integrations > Personio > Connect, paste both and apply: a check runs, then a full sync.',
  ],
};
