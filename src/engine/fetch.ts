/** The fetch step: pull every page (or the named people) and map them; any failure means nothing is applied. */
import { AppError, isAppError } from '../core/errors.js';
import type { ManagedField, RecordIssue, SourcePerson } from '../core/model.js';
import { err, ok, type Result } from '../core/result.js';
import type { Source, SourceContext } from '../sources/contract.js';

/** A whole roster in canonical form, ready for validate/plan. */
export interface Roster {
  readonly people: readonly SourcePerson[];
  readonly managedFields: readonly ManagedField[];
  /** Record problems found before core/validate (e.g. a file row with a bad status). */
  readonly issues: readonly RecordIssue[];
}

export interface FetchOptions {
  readonly source: Source;
  readonly config: unknown;
  readonly ctx: SourceContext;
  /** Re-fetch only these ids (webhooks); undefined = the full roster. */
  readonly ids?: readonly string[];
  /** Called after each page, e.g. to renew the lease and report progress; a throw aborts the fetch. */
  readonly onPage?: (fetched: number) => Promise<void>;
}

/** Reads all pages; returns the roster only if every page arrived, else the failure (nothing partial). */
export async function fetchRoster(options: FetchOptions): Promise<Result<Roster, AppError>> {
  const { source, config, ctx } = options;
  const people: SourcePerson[] = [];
  try {
    const pages =
      options.ids !== undefined && source.readByIds
        ? source.readByIds(config, options.ids, ctx)
        : source.read(config, ctx);
    for await (const page of pages) {
      for (const raw of page) people.push(source.map(raw));
      await options.onPage?.(people.length);
    }
  } catch (cause) {
    if (isAppError(cause)) return err(cause);
    return err(
      new AppError('source_bad_response', `${source.spec.title}: reading the roster failed unexpectedly.`, {
        kind: 'system',
        cause,
      }),
    );
  }
  return ok({ people, managedFields: source.spec.managedFields, issues: [] });
}
