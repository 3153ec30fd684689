// File source spec: no connection settings (files are pushed with an API key), every field managed.
import { z } from 'zod';
import { managedFieldNames } from '../../core/model.js';
import type { SourceSpec } from '../contract.js';

/** Default upload cap (64 MiB): checked before any byte is parsed. */
export const FILE_MAX_BYTES_DEFAULT = 64 * 1024 * 1024;

/**
 * Nothing to configure: the technical user's API key authenticates uploads, and the file itself
 * says which columns it manages. Strict, so a stray key is reported rather than ignored.
 */
export const fileConfigSchema = z.object({}).strict();

export type FileConfig = z.output<typeof fileConfigSchema>;

/** Static description of the CSV/XML upload source ("HR Data Sync"). */
export const fileSpec: SourceSpec<FileConfig> = {
  id: 'file',
  title: 'CSV/XML upload',
  configSchema: fileConfigSchema,
  secretFields: [],
  configFields: [],
  // Every field may come from a file; the fields one upload actually manages are its columns.
  managedFields: [...managedFieldNames],
  webhooks: false,
  setupSteps: [
    'Create a technical user and give it an API key: it receives error files and notification emails.',
    'Export every employee from your HR system as CSV or XML with the columns of docs/file-format.md. Each file is the full roster: people missing from it leave.',
    'Upload the file to POST /api/v1/hr-data/employees with the API key as bearer token, or run `rostersync upload`, nightly, weekly or monthly.',
    'Optionally upload the XML position file to POST /api/v1/hr-data/positions first.',
  ],
};
