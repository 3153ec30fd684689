// Webhook parser tests: the documented packet, the likely encodings, and hostile bodies.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePeopleHrWebhook } from './webhook.js';

describe('parsePeopleHrWebhook', () => {
  it.each([
    ['documented JSON packet', { ActionId: 1, Action: 'New Starter Added', EmployeeId: 'PW21' }, ['PW21']],
    ['camelCase', { employeeId: 'PW7' }, ['PW7']],
    ['label with a space', { 'Employee Id': 'PW8' }, ['PW8']],
    ['upper-case ID', { EmployeeID: '180' }, ['180']],
    ['snake_case', { employee_id: 'S20' }, ['S20']],
    ['numeric id', { EmployeeId: 312 }, ['312']],
    ['nested object', { data: { employee: { EmployeeId: 'PW9' } } }, ['PW9']],
    [
      'batched events, duplicates once',
      [{ EmployeeId: 'PW1' }, { EmployeeId: 'PW2' }, { EmployeeId: 'PW1' }],
      ['PW1', 'PW2'],
    ],
    [
      'JSON text',
      '{"ActionId":2,"Action":"Employee Detail Updated","EmployeeId":"PW1","FieldName":"Other Name(s)"}',
      ['PW1'],
    ],
    [
      'documented text form',
      'ActionId:2, Action:Employee Detail Updated, EmployeeId:PW5-2, NewValue:Am',
      ['PW5-2'],
    ],
    ['form encoding', 'ActionId=3&Action=Marked+Leaver&EmployeeId=PW21', ['PW21']],
    ['JSON packet inside a field', { payload: '{"EmployeeId":"PW44"}' }, ['PW44']],
    ['bytes', new TextEncoder().encode('{"EmployeeId":"PW3"}'), ['PW3']],
  ])('%s → ids', (_name, body, ids) => {
    expect(parsePeopleHrWebhook(body)).toEqual({ kind: 'ids', ids });
  });

  it.each([
    ['no body', undefined],
    ['null', null],
    ['empty object', {}],
    ['unrelated text', 'hello'],
    ['an empty id', { EmployeeId: '   ' }],
    ['an id that is an object', { EmployeeId: { DisplayValue: 'PW1' } }],
    ['an id with spaces or markup', { EmployeeId: 'PW1; DROP TABLE users' }],
    ['an id that is too long', { EmployeeId: 'x'.repeat(51) }],
    ['employee deleted (JSON)', { ActionId: 18, Action: 'Employee Deleted', EmployeeId: 'PW21' }],
    ['employee deleted (text)', 'ActionId:18, Action:Employee Deleted, EmployeeId:PW21'],
    ['more than 100 employees', Array.from({ length: 101 }, (_, i) => ({ EmployeeId: `PW${i}` }))],
  ])('%s → full sync', (_name, body) => {
    expect(parsePeopleHrWebhook(body)).toEqual({ kind: 'full' });
  });

  it('takes only the id, never the data that comes with it', () => {
    const hint = parsePeopleHrWebhook({
      ActionId: 2,
      EmployeeId: 'PW1',
      FieldName: 'Email',
      NewValue: 'attacker@evil.example',
    });
    expect(JSON.stringify(hint)).not.toContain('evil');
  });

  it('never throws and only returns well-formed ids, whatever arrives', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.string(), fc.anything()), (body) => {
        const hint = parsePeopleHrWebhook(body);
        if (hint.kind === 'ids') {
          expect(hint.ids.length).toBeGreaterThan(0);
          for (const id of hint.ids) expect(id).toMatch(/^[A-Za-z0-9][A-Za-z0-9._\-/]{0,49}$/);
        }
      }),
      { numRuns: 500 },
    );
  });
});
