/** SCIM discovery documents (RFC 7643 §5–7): ServiceProviderConfig, ResourceTypes and the Schemas we serve. */
/** Schema and message URNs (RFC 7643 §3, §8.7; RFC 7644 §3.4.2, §3.12). */
export const SCIM_SCHEMA = {
  user: 'urn:ietf:params:scim:schemas:core:2.0:User',
  group: 'urn:ietf:params:scim:schemas:core:2.0:Group',
  enterpriseUser: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
  /** Our extension: the person attributes the core and enterprise schemas have no place for. */
  rostersyncUser: 'urn:ietf:params:scim:schemas:extension:rostersync:2.0:User',
  serviceProviderConfig: 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig',
  resourceType: 'urn:ietf:params:scim:schemas:core:2.0:ResourceType',
  schema: 'urn:ietf:params:scim:schemas:core:2.0:Schema',
  listResponse: 'urn:ietf:params:scim:api:messages:2.0:ListResponse',
  searchRequest: 'urn:ietf:params:scim:api:messages:2.0:SearchRequest',
  error: 'urn:ietf:params:scim:api:messages:2.0:Error',
} as const;

export const SCIM_CONTENT_TYPE = 'application/scim+json; charset=utf-8';

/** Page size when the client gives no `count`. */
export const DEFAULT_COUNT = 100;
/** The largest page (`count` above it is capped); also ServiceProviderConfig `filter.maxResults`. */
export const MAX_COUNT = 500;

type AttrType = 'string' | 'boolean' | 'dateTime' | 'reference' | 'complex';

/** One attribute definition (RFC 7643 §7). Everything is readOnly: the HR sync owns the directory. */
export interface AttributeDefinition {
  readonly name: string;
  readonly type: AttrType;
  readonly multiValued: boolean;
  readonly description: string;
  readonly required: boolean;
  readonly caseExact: boolean;
  readonly mutability: 'readOnly';
  readonly returned: 'always' | 'default';
  readonly uniqueness: 'none' | 'server' | 'global';
  readonly referenceTypes?: readonly string[];
  readonly canonicalValues?: readonly string[];
  readonly subAttributes?: readonly AttributeDefinition[];
}

const attr = (
  name: string,
  description: string,
  o: Partial<Omit<AttributeDefinition, 'name' | 'description' | 'mutability'>> = {},
): AttributeDefinition => ({
  name,
  type: 'string',
  multiValued: false,
  description,
  required: false,
  caseExact: false,
  mutability: 'readOnly',
  returned: 'default',
  uniqueness: 'none',
  ...o,
});

const complex = (
  name: string,
  description: string,
  o: { multiValued?: boolean; subAttributes: readonly AttributeDefinition[] },
): AttributeDefinition => attr(name, description, { type: 'complex', multiValued: false, ...o });

const multiValue = (kind: string, types: readonly string[]): readonly AttributeDefinition[] => [
  attr('value', `The ${kind}.`),
  attr('type', `The kind of ${kind}.`, { canonicalValues: types }),
  attr('primary', `Whether this is the primary ${kind}.`, { type: 'boolean' }),
];

const reference = (description: string, referenceTypes: readonly string[]): AttributeDefinition =>
  attr('$ref', description, { type: 'reference', referenceTypes, caseExact: true });

const userAttributes: readonly AttributeDefinition[] = [
  attr('userName', "The user's work email address, unique in the directory (compared case-insensitively).", {
    required: true,
    uniqueness: 'server',
  }),
  complex('name', "The user's name.", {
    subAttributes: [
      attr('formatted', 'Given and family name, for display.'),
      attr('givenName', 'First name, as the HR system has it.'),
      attr('familyName', 'Last name, as the HR system has it.'),
    ],
  }),
  attr('displayName', 'Given and family name (the email when both are empty).'),
  attr('title', 'Job title or position.'),
  complex('emails', 'The work email address.', {
    multiValued: true,
    subAttributes: multiValue('email', ['work']),
  }),
  complex('phoneNumbers', 'The work phone number.', {
    multiValued: true,
    subAttributes: multiValue('phone number', ['work']),
  }),
  attr('active', 'False once the HR system says the person left or is inactive.', { type: 'boolean' }),
  complex('groups', 'Groups (HR teams) the user belongs to.', {
    multiValued: true,
    subAttributes: [
      attr('value', 'The group id.', { caseExact: true }),
      reference('The group resource.', ['Group']),
      attr('display', 'The group name.'),
      attr('type', 'Always "direct": groups do not nest.', { canonicalValues: ['direct'] }),
    ],
  }),
];

const enterpriseAttributes: readonly AttributeDefinition[] = [
  attr('employeeNumber', 'The employee number from the HR system.'),
  attr('department', 'The department.'),
  complex('manager', "The user's manager.", {
    subAttributes: [
      attr('value', "The manager's user id.", { caseExact: true }),
      reference("The manager's User resource.", ['User']),
      attr('displayName', "The manager's name."),
    ],
  }),
];

const rostersyncAttributes: readonly AttributeDefinition[] = [
  attr('location', 'Office location.'),
  attr('birthDate', 'Birth date, YYYY-MM-DD.'),
  attr('gender', "Gender, one of the tenant's gender choices."),
  attr('contractType', 'Contract type.'),
  attr('firstHiredOn', 'First hire date, YYYY-MM-DD.'),
  attr('currentHiredOn', 'Current hire date, YYYY-MM-DD.'),
  attr('leavingDate', 'Leaving (contract end) date, YYYY-MM-DD.'),
  attr('sourceProvider', 'The HR system the user is synced from (personio, kiwihr, nmbrs, peoplehr, file).'),
];

const groupAttributes: readonly AttributeDefinition[] = [
  attr('displayName', 'The group name (names are not unique).', { required: true }),
  complex('members', 'The users in the group.', {
    multiValued: true,
    subAttributes: [
      attr('value', "The member's user id.", { caseExact: true }),
      reference("The member's User resource.", ['User']),
      attr('display', "The member's name."),
      attr('type', 'Always "User".', { canonicalValues: ['User'] }),
    ],
  }),
];

const schemaDefinitions = [
  { id: SCIM_SCHEMA.user, name: 'User', description: 'User account', attributes: userAttributes },
  {
    id: SCIM_SCHEMA.enterpriseUser,
    name: 'EnterpriseUser',
    description: 'Enterprise user',
    attributes: enterpriseAttributes,
  },
  {
    id: SCIM_SCHEMA.rostersyncUser,
    name: 'RostersyncUser',
    description: 'HR attributes synced by rostersync that the core and enterprise schemas do not cover',
    attributes: rostersyncAttributes,
  },
  { id: SCIM_SCHEMA.group, name: 'Group', description: 'Group', attributes: groupAttributes },
] as const;

/** The Schema resources of `/Schemas`, with absolute locations under `base` (`https://host/scim/v2`). */
export const schemaResources = (base: string): Record<string, unknown>[] =>
  schemaDefinitions.map((s) => ({
    schemas: [SCIM_SCHEMA.schema],
    id: s.id,
    name: s.name,
    description: s.description,
    attributes: s.attributes,
    meta: { resourceType: 'Schema', location: `${base}/Schemas/${s.id}` },
  }));

/** The ResourceType resources of `/ResourceTypes`. */
export const resourceTypeResources = (base: string): Record<string, unknown>[] => [
  {
    schemas: [SCIM_SCHEMA.resourceType],
    id: 'User',
    name: 'User',
    endpoint: '/Users',
    description: 'People of the directory, synced from the HR system',
    schema: SCIM_SCHEMA.user,
    schemaExtensions: [
      { schema: SCIM_SCHEMA.enterpriseUser, required: false },
      { schema: SCIM_SCHEMA.rostersyncUser, required: false },
    ],
    meta: { resourceType: 'ResourceType', location: `${base}/ResourceTypes/User` },
  },
  {
    schemas: [SCIM_SCHEMA.resourceType],
    id: 'Group',
    name: 'Group',
    endpoint: '/Groups',
    description: 'Groups (HR teams) of the directory',
    schema: SCIM_SCHEMA.group,
    meta: { resourceType: 'ResourceType', location: `${base}/ResourceTypes/Group` },
  },
];

/** `/ServiceProviderConfig` (RFC 7643 §5): read-only, filtered, paged by index; no PATCH, bulk or sort. */
export const serviceProviderConfig = (o: {
  base: string;
  documentationUri?: string;
}): Record<string, unknown> => ({
  schemas: [SCIM_SCHEMA.serviceProviderConfig],
  ...(o.documentationUri === undefined ? {} : { documentationUri: o.documentationUri }),
  patch: { supported: false },
  bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
  filter: { supported: true, maxResults: MAX_COUNT },
  changePassword: { supported: false },
  sort: { supported: false },
  etag: { supported: true },
  authenticationSchemes: [
    {
      type: 'oauthbearertoken',
      name: 'API key (Bearer)',
      description:
        'An API key with the directory:read scope, sent as "Authorization: Bearer rs_...". Create one with ' +
        '`rostersync apikey create --scope directory:read` or in the admin UI.',
      specUri: 'https://www.rfc-editor.org/info/rfc6750',
      primary: true,
    },
  ],
  meta: { resourceType: 'ServiceProviderConfig', location: `${o.base}/ServiceProviderConfig` },
});
