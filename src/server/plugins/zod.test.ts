import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { invalidInput, isZodSchema, jsonSchemaOf, parseOrThrow, zodSwaggerTransform } from './zod.js';

describe('server/plugins/zod', () => {
  const body = z.object({ email: z.email(), limit: z.coerce.number().int().max(10).default(5) });

  it('names every failing field in the 422', () => {
    const parsed = body.safeParse({ email: 'nope', limit: 50 });
    if (parsed.success) throw new Error('expected a failure');
    const error = invalidInput(parsed.error, 'body');
    expect(error.code).toBe('invalid_input');
    expect(error.message).toMatch(/^The request body is not valid: email: .+; limit: .+/);
    expect(error.details).toMatchObject({ in: 'body', fields: [{ field: 'email' }, { field: 'limit' }] });
    expect(() => parseOrThrow(body, {}, 'querystring')).toThrow(/query string/);
    expect(parseOrThrow(body, { email: 'a@b.example' }, 'body')).toEqual({ email: 'a@b.example', limit: 5 });
  });

  it('turns zod parts of a route schema into JSON Schema for the OpenAPI document, and leaves the rest', () => {
    expect(isZodSchema(body)).toBe(true);
    expect(isZodSchema({ type: 'string' })).toBe(false);
    const { schema } = zodSwaggerTransform({
      schema: {
        body,
        querystring: z.object({ q: z.string().optional() }),
        summary: 'x',
        response: { 200: { description: 'ok' } },
      },
      url: '/x',
    });
    expect(schema.body).toMatchObject({
      type: 'object',
      required: ['email'],
      properties: { email: { type: 'string' } },
    });
    expect(schema.body).not.toHaveProperty('$schema');
    expect(schema.querystring).toMatchObject({ type: 'object', properties: { q: { type: 'string' } } });
    expect(schema.response).toEqual({ 200: { description: 'ok' } });
    expect(jsonSchemaOf(z.enum(['a', 'b']))).toMatchObject({ enum: ['a', 'b'] });
  });
});
