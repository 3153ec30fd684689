/** Tests of the seeded roster generator: determinism, uniqueness, the manager tree, leavers, dirty records. */
import { describe, expect, it } from 'vitest';
import {
  departments,
  generatePerson,
  generateRoster,
  hrGenders,
  locations,
  positions,
  teamNames,
} from './generator.js';
import type { HrPerson } from './generator.js';

const iso = /^\d{4}-\d{2}-\d{2}$/;

/** Follows managers from each person; returns the ids of people on a cycle. */
const cycleMembers = (people: readonly HrPerson[]): string[] => {
  const byId = new Map(people.map((p) => [p.id, p]));
  const onCycle = new Set<string>();
  for (const start of people) {
    const seen = new Set<string>();
    for (
      let p: HrPerson | undefined = start;
      p !== undefined && p.managerId !== null;
      p = byId.get(p.managerId)
    ) {
      if (seen.has(p.id)) {
        onCycle.add(p.id);
        break;
      }
      seen.add(p.id);
    }
  }
  return [...onCycle];
};

describe('generateRoster', () => {
  const people = generateRoster({ count: 2000, seed: 42 });

  it('is deterministic per seed and differs between seeds', () => {
    expect(generateRoster({ count: 2000, seed: 42 })).toEqual(people);
    const other = generateRoster({ count: 2000, seed: 43 });
    const sameName = other.filter((p, i) => p.email === people[i]?.email).length;
    expect(sameName).toBeLessThan(100);
  });

  it('gives unique ids, employee numbers and (case-insensitive) emails on acme.example', () => {
    expect(new Set(people.map((p) => p.id)).size).toBe(2000);
    expect(new Set(people.map((p) => p.employeeNumber)).size).toBe(2000);
    expect(new Set(people.map((p) => p.email.toLowerCase())).size).toBe(2000);
    expect(people.every((p) => p.email.toLowerCase().endsWith('@acme.example'))).toBe(true);
    expect(people.every((p) => /^\d+$/.test(p.id))).toBe(true);
    expect(people[41]?.employeeNumber).toBe('E00042');
  });

  it('mixes the case of about 5% of emails', () => {
    const mixed = people.filter((p) => p.email !== p.email.toLowerCase()).length;
    expect(mixed).toBeGreaterThan(40);
    expect(mixed).toBeLessThan(200);
  });

  it('builds a manager tree: one root, no cycle, 3–10 reports per manager', () => {
    expect(people.filter((p) => p.managerId === null).map((p) => p.id)).toEqual([people[0]?.id]);
    expect(cycleMembers(people)).toEqual([]);
    const ids = new Set(people.map((p) => p.id));
    expect(people.every((p) => p.managerId === null || ids.has(p.managerId))).toBe(true);
    const reports = new Map<string, number>();
    for (const p of people)
      if (p.managerId !== null) reports.set(p.managerId, (reports.get(p.managerId) ?? 0) + 1);
    // Breadth-first filling: only the last manager in line may have fewer than 3.
    const counts = [...reports.values()];
    expect(counts.filter((n) => n < 3).length).toBeLessThanOrEqual(1);
    expect(Math.max(...counts)).toBeLessThanOrEqual(10);
  });

  it('fills every field with plausible values from the reference lists', () => {
    // Collect violations instead of 20k expect calls (vitest's expect is slow in bulk).
    const bad = people.filter(
      (p) =>
        !hrGenders.includes(p.gender) ||
        !(departments as readonly string[]).includes(p.department) ||
        !(positions as readonly string[]).includes(p.position) ||
        !locations.includes(p.location) ||
        !(p.teams.length === 1 || p.teams.length === 2) ||
        !p.teams.every((t) => (teamNames as readonly string[]).includes(t)) ||
        ![p.birthDate, p.firstHiredOn, p.currentHiredOn].every((d) => iso.test(d)) ||
        !(
          p.birthDate < p.firstHiredOn &&
          p.firstHiredOn <= p.currentHiredOn &&
          p.currentHiredOn <= '2026-11-23'
        ),
    );
    expect(bad).toEqual([]);
    expect(new Set(people.map((p) => p.gender)).size).toBe(4);
    expect(new Set(people.map((p) => p.department)).size).toBeGreaterThanOrEqual(10);
  });

  it('has leavers: inactive, active with a past leaving date, and a few future dates', () => {
    const today = '2026-11-23';
    const inactive = people.filter((p) => p.status === 'inactive');
    const pastActive = people.filter(
      (p) => p.status === 'active' && p.leavingDate !== null && p.leavingDate < today,
    );
    const future = people.filter((p) => p.leavingDate !== null && p.leavingDate > today);
    expect(inactive.every((p) => p.leavingDate !== null && p.leavingDate < today)).toBe(true);
    expect(inactive.length).toBeGreaterThan(5);
    expect(pastActive.length).toBeGreaterThan(3);
    expect(future.length).toBeGreaterThan(0);
    const leavers = people.filter((p) => p.leavingDate !== null).length;
    expect(leavers).toBeGreaterThan(30);
    expect(leavers).toBeLessThan(100);
    expect(generateRoster({ count: 500, seed: 1, leaverRate: 0 }).every((p) => p.leavingDate === null)).toBe(
      true,
    );
  });

  it('dirty adds exactly 4 records: no email, a duplicate email, a 2-cycle of managers', () => {
    const clean = generateRoster({ count: 300, seed: 7 });
    const dirty = generateRoster({ count: 300, seed: 7, dirty: true });
    expect(dirty).toHaveLength(304);
    expect(dirty.slice(0, 300)).toEqual(clean);
    const extra = dirty.slice(300);
    expect(extra.filter((p) => p.email === '')).toHaveLength(1);
    const emails = dirty.filter((p) => p.email !== '').map((p) => p.email.toLowerCase());
    expect(emails.length - new Set(emails).size).toBe(1);
    expect(cycleMembers(dirty).sort()).toEqual([extra[2]?.id, extra[3]?.id].sort());
    expect(cycleMembers(clean)).toEqual([]);
  });

  it('accepts another today and rejects a bad one', () => {
    const old = generateRoster({ count: 50, seed: 3, today: '2020-01-01' });
    expect(old.every((p) => p.currentHiredOn <= '2020-01-01')).toBe(true);
    expect(() => generateRoster({ count: 1, seed: 3, today: '01/01/2020' })).toThrow(RangeError);
  });

  it('generates 100k people in a few seconds', () => {
    const started = performance.now();
    const cpu = process.cpuUsage();
    const big = generateRoster({ count: 100_000, seed: 9 });
    const used = process.cpuUsage(cpu);
    // Reported, not asserted: shared machines make wall time noisy; CPU time is the steadier number.
    console.info(
      `generateRoster 100k: ${Math.round(performance.now() - started)} ms wall, ${Math.round((used.user + used.system) / 1000)} ms CPU`,
    );
    expect(big).toHaveLength(100_000);
    expect(new Set(big.map((p) => p.email.toLowerCase())).size).toBe(100_000);
  });
});

describe('generatePerson', () => {
  it('is deterministic, active, hired today, without a manager', () => {
    const a = generatePerson({ seed: 5, index: 10, today: '2026-12-01' });
    expect(generatePerson({ seed: 5, index: 10, today: '2026-12-01' })).toEqual(a);
    expect(a).toMatchObject({ id: '1011', employeeNumber: 'E00011', status: 'active', leavingDate: null });
    expect([a.firstHiredOn, a.currentHiredOn, a.managerId]).toEqual(['2026-12-01', '2026-12-01', null]);
    expect(generatePerson({ seed: 5, index: 11 }).id).toBe('1012');
  });

  it('has the same name as the roster person at that index and avoids taken emails', () => {
    const roster = generateRoster({ count: 20, seed: 5 });
    const p = generatePerson({ seed: 5, index: 10 });
    expect([p.firstName, p.lastName]).toEqual([roster[10]?.firstName, roster[10]?.lastName]);
    const taken = new Set([p.email.toLowerCase()]);
    const again = generatePerson({ seed: 5, index: 10, taken });
    expect(again.email.toLowerCase()).not.toBe(p.email.toLowerCase());
  });
});
