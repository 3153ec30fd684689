/** Nmbrs connector settings: zod config (API domain, user email, API token), form fields, managed fields, setup steps. */
import { z } from 'zod';
import type { ManagedField } from '../../core/model.js';
import type { ConfigFieldSpec, SourceSpec } from '../contract.js';

/** Production host of the SOAP API v3; the sandbox host is accepted as a `baseUrl` override too. */
export const nmbrsApiUrl = 'https://api.nmbrs.nl';

/** Hosts a `baseUrl` override may name besides loopback (which also needs `ctx.allowLoopback`). */
export const nmbrsAllowedHosts = /^api(-sandbox)?\.nmbrs\.nl$/;

// One DNS label (RFC 1035/1123): letters, digits, inner hyphens, at most 63 characters.
const dnsLabel = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/i;

/** The connection settings an admin enters. `token` is the secret. */
export const nmbrsConfigSchema = z.object({
  domain: z.string().trim().regex(dnsLabel, {
    message:
      "Enter only the Nmbrs sub-domain you log in with: 'acme' for acme.nmbrs.nl (letters, digits and hyphens).",
  }),
  username: z
    .string()
    .trim()
    .pipe(z.email({ message: 'Enter the e-mail address of the Nmbrs user that owns the API token.' })),
  token: z
    .string()
    .trim()
    .min(1, { message: "Paste the API token from Nmbrs: User profile → 'API token'." })
    .regex(/^\S+$/, { message: 'The API token contains spaces: copy it again from Nmbrs.' }),
  /**
   * Where the SOAP services live, without `/soap/v3`: only for the emulator (loopback, needs
   * ROSTERSYNC_ALLOW_LOOPBACK_SOURCES=1) or the Nmbrs sandbox `https://api-sandbox.nmbrs.nl`.
   */
  baseUrl: z
    .url({ message: 'The API base URL must be a full URL such as https://api-sandbox.nmbrs.nl.' })
    .optional(),
});

export type NmbrsConfig = z.infer<typeof nmbrsConfigSchema>;

export const nmbrsConfigFields: readonly ConfigFieldSpec[] = [
  {
    key: 'domain',
    label: 'API domain',
    secret: false,
    help: 'The sub-domain of your Nmbrs login page: for https://acme.nmbrs.nl enter acme.',
    placeholder: 'acme',
  },
  {
    key: 'username',
    label: 'User email',
    secret: false,
    help: 'The e-mail address of the Nmbrs administrator whose API token you use.',
    placeholder: 'admin@acme.com',
  },
  {
    key: 'token',
    label: 'API token',
    secret: true,
    help: "Nmbrs: User profile → 'API token' → 'Activate API account', then copy the token.",
  },
];

/**
 * The seed's Nmbrs fields (name, last name, manager, gender, birth date, job, phone number,
 * employee number, contract type, first hired on, out-of-service date), plus `email`, the key
 * every directory user is matched and created by, and `active`.
 */
export const nmbrsManagedFields: readonly ManagedField[] = [
  'email',
  'firstName',
  'lastName',
  'manager',
  'gender',
  'birthDate',
  'jobTitle',
  'phoneNumber',
  'employeeNumber',
  'contractType',
  'firstHiredOn',
  'leavingDate',
  'active',
];

export const nmbrsSetupSteps: readonly string[] = [
  'Sign in to Nmbrs with an Administrator account (User profile → Profile shows the user type).',
  'Note your API domain: the sub-domain of your Nmbrs login page (acme for acme.nmbrs.nl).',
  "Settings → Template users: on your user type's API cog, allow the Company and Employee service calls rostersync lists (List_GetAll, List_GetByCompany, EmployeeType_GetList, PersonalInfoWithoutBSN_Get_GetAllEmployeesByCompany, Function_GetAll_AllEmployeesByCompany_V2, Contract_GetAll_AllEmployeesByCompany, Employment_GetAll_AllEmployeesByCompany, Manager_GetCurrent).",
  "User profile → API token → 'Activate API account', and copy the token.",
  "In rostersync, enter the API domain, your Nmbrs e-mail and the token, then click 'Connect'.",
];

export const nmbrsSpec: SourceSpec<NmbrsConfig> = {
  id: 'nmbrs',
  title: 'Nmbrs',
  configSchema: nmbrsConfigSchema,
  secretFields: ['token'],
  configFields: nmbrsConfigFields,
  managedFields: nmbrsManagedFields,
  webhooks: false,
  setupSteps: nmbrsSetupSteps,
};
