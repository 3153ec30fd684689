/** zod on Fastify routes: schemas validate requests (422 naming the fields) and feed the OpenAPI document. */
import type { FastifyInstance, FastifySchema, FastifySchemaCompiler, FastifyTypeProvider } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../core/errors.js';

/** Types request parts from their zod schemas (`req.body` is the schema's output). */
export interface ZodTypeProvider extends FastifyTypeProvider {
  readonly validator: this['schema'] extends z.ZodType ? z.output<this['schema']> : unknown;
  readonly serializer: this['schema'] extends z.ZodType ? z.input<this['schema']> : unknown;
}

export const isZodSchema = (value: unknown): value is z.ZodType =>
  typeof value === 'object' && value !== null && '_zod' in value;

/** One line per problem: `email: Invalid email address`. */
export function fieldIssues(error: z.ZodError): { field: string; message: string }[] {
  return error.issues.map((i) => ({
    field: i.path.map(String).join('.') || '(whole value)',
    message: i.message,
  }));
}

/** A failed parse as the 422 the API answers: what is wrong, in which field, in which part of the request. */
export function invalidInput(error: z.ZodError, part: string): AppError {
  const fields = fieldIssues(error);
  const where = part === 'body' ? 'request body' : part === 'querystring' ? 'query string' : part;
  const list = fields.map((f) => `${f.field}: ${f.message}`).join('; ');
  return new AppError(
    'invalid_input',
    `The ${where} is not valid: ${list}. Fix these fields and send it again.`,
    {
      details: { in: part, fields },
    },
  );
}

/** Parses with zod, throwing the API's 422 on failure (for values checked outside a route schema). */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, part: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw invalidInput(result.error, part);
  return result.data;
}

/** zod schemas validate; anything else (a plain JSON Schema kept for the document only) passes through. */
const validatorCompiler: FastifySchemaCompiler<unknown> =
  ({ schema, httpPart }) =>
  (data: unknown) => {
    if (!isZodSchema(schema)) return { value: data };
    const result = schema.safeParse(data ?? undefined);
    if (result.success) return { value: result.data };
    return { error: invalidInput(result.error, httpPart ?? 'request') };
  };

/**
 * Sets the zod compilers on a plugin's context and returns it typed. Responses are sent with plain
 * `JSON.stringify`: response schemas, when given, document the API and never strip fields.
 */
export function withZod(app: FastifyInstance) {
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  return app.withTypeProvider<ZodTypeProvider>();
}

/** JSON Schema (OpenAPI 3.0 dialect) of a zod schema, as the document and the providers list show it. */
export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output' = 'input'): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'openapi-3.0' }) as Record<
    string,
    unknown
  >;
  delete json.$schema;
  return json;
}

const requestParts = ['body', 'querystring', 'params', 'headers'] as const;

/** @fastify/swagger `transform`: zod parts of a route schema become JSON Schema; the rest is kept. */
export function zodSwaggerTransform({ schema, url }: { schema: FastifySchema; url: string }): {
  schema: FastifySchema;
  url: string;
} {
  if (schema === undefined || schema === null) return { schema, url };
  const out: Record<string, unknown> = { ...schema };
  for (const part of requestParts) {
    const value: unknown = schema[part];
    if (isZodSchema(value)) out[part] = jsonSchemaOf(value);
  }
  if (schema.response && typeof schema.response === 'object') {
    const responses: Record<string, unknown> = {};
    for (const [code, value] of Object.entries(schema.response as Record<string, unknown>)) {
      responses[code] = isZodSchema(value) ? jsonSchemaOf(value, 'output') : value;
    }
    out.response = responses;
  }
  return { schema: out, url };
}
