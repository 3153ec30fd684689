// Scale: a generated 100 000-row CSV parses completely (time is measured outside the suite, never asserted).
import { describe, expect, it } from 'vitest';
import { parseEmployeeFile } from './index.js';

const header =
  'employee_id,email,first_name,last_name,birth_date,gender,employee_number,job_title,department,location,manager_employee_id,groups,first_hired_on,current_hired_on,leaving_date,phone_number,contract_type,status';

const rows = (count: number): string => {
  const lines = [header];
  for (let i = 1; i <= count; i += 1) {
    lines.push(
      `${i},user${i}@acme.test,First${i},"Last, ${i}",1990-01-0${(i % 9) + 1},female,E${i},Engineer,R&D,Berlin,${i > 1 ? i - 1 : ''},Team A|Team B,2020-01-01,2021-01-01,,+49 30 ${i},permanent,${i % 10 === 0 ? 'inactive' : 'active'}`,
    );
  }
  return `${lines.join('\r\n')}\r\n`;
};

describe('CSV at scale', () => {
  it('parses a 100 000-row file', () => {
    const result = parseEmployeeFile(new TextEncoder().encode(rows(100_000)));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.rows).toBe(100_000);
    expect(result.value.people).toHaveLength(100_000);
    expect(result.value.people.filter((p) => !p.active)).toHaveLength(10_000);
    expect(result.value.people[99_999]).toMatchObject({
      sourceId: '100000',
      ref: 'line 100001',
      managerSourceId: '99999',
    });
  });
});
