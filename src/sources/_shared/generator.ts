/** Seeded, deterministic roster generator for the emulators: faker name pools, a mulberry32 PRNG per person. */
import { Faker, en } from '@faker-js/faker';

export const hrGenders = ['female', 'male', 'diverse', 'undefined'] as const;
export type HrGender = (typeof hrGenders)[number];

export const contractTypes = ['permanent', 'fixed-term', 'freelance', 'intern'] as const;
export type ContractType = (typeof contractTypes)[number];

/** One employee as the emulators store it; each emulator renders it in its provider's shape. */
export interface HrPerson {
  /** Numeric string, unique, stable (`String(1001 + index)`). */
  id: string;
  /** 'E00042'. */
  employeeNumber: string;
  firstName: string;
  lastName: string;
  /** Some (~5%) mixed-case, e.g. 'Jane.Doe@Acme.example'; '' only for the dirty "no email" record. */
  email: string;
  gender: HrGender;
  /** ISO `YYYY-MM-DD` (all dates). */
  birthDate: string;
  firstHiredOn: string;
  currentHiredOn: string;
  department: string;
  position: string;
  location: string;
  /** 1–2 team names. */
  teams: string[];
  /** A tree: the CEO has null, each manager 3–10 reports. */
  managerId: string | null;
  phone: string;
  contractType: ContractType;
  status: 'active' | 'inactive';
  /** Leavers: inactive, or a leaving date in the past; a few future dates. */
  leavingDate: string | null;
}

/** Options of {@link generateRoster}. */
export interface GenerateOptions {
  count: number;
  seed: number;
  /** ISO, default '2026-11-23' (fixed so a seed always gives the same roster). */
  today?: string;
  /** Fraction of leavers, default 0.03. */
  leaverRate?: number;
  /**
   * Appends 4 records after `count`: one without email (''), one whose email repeats person 1's
   * in another case, and two people who manage each other (a 2-cycle).
   */
  dirty?: boolean;
}

export const defaultToday = '2026-11-23';
export const companyDomain = 'acme.example';

// prettier-ignore
export const departments = [
  'Engineering', 'Sales', 'Marketing', 'Finance', 'People', 'Customer Success',
  'Product', 'Operations', 'Legal', 'Design', 'Data', 'IT',
] as const;

// prettier-ignore
export const teamNames = [
  'Platform', 'Payments', 'Mobile', 'Web', 'Infrastructure', 'Security', 'Growth', 'Enterprise Sales',
  'SMB Sales', 'Partnerships', 'Brand', 'Content', 'Demand Gen', 'Accounting', 'Payroll', 'Recruiting',
  'People Ops', 'Onboarding', 'Support EMEA', 'Support Americas', 'Product Discovery', 'Analytics',
  'Data Platform', 'Facilities', 'Procurement', 'Compliance', 'UX Research', 'Design Systems', 'Helpdesk',
  'Leadership',
] as const;

// prettier-ignore
export const positions = [
  'Software Engineer', 'Senior Software Engineer', 'Staff Engineer', 'Engineering Manager', 'QA Engineer',
  'DevOps Engineer', 'Security Engineer', 'Data Engineer', 'Data Analyst', 'Data Scientist',
  'Product Manager', 'Product Owner', 'Product Designer', 'UX Researcher', 'Account Executive',
  'Sales Development Representative', 'Sales Manager', 'Account Manager', 'Marketing Manager',
  'Content Writer', 'Growth Marketer', 'Brand Designer', 'Accountant', 'Financial Controller',
  'Payroll Specialist', 'HR Business Partner', 'Recruiter', 'People Operations Specialist',
  'Customer Success Manager', 'Support Specialist', 'Operations Manager', 'Office Manager',
  'Legal Counsel', 'Compliance Officer', 'IT Administrator', 'Procurement Specialist', 'Team Lead',
  'Head of Department', 'Working Student', 'Chief Executive Officer',
] as const;

const locationData = [
  { name: 'Berlin', phone: '+49 30' },
  { name: 'Munich', phone: '+49 89' },
  { name: 'Amsterdam', phone: '+31 20' },
  { name: 'London', phone: '+44 20' },
  { name: 'Paris', phone: '+33 1' },
  { name: 'Remote', phone: '+49 151' },
] as const;
export const locations: readonly string[] = locationData.map((l) => l.name);

/** mulberry32: a tiny, fast 32-bit PRNG; uniform floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Mixes seed and index so each person has an independent stream (generatePerson(i) = roster[i]'s basics). */
const personSeed = (seed: number, index: number): number => {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
};

interface Pools {
  readonly female: readonly string[];
  readonly male: readonly string[];
  readonly last: readonly string[];
}

const poolCache = new Map<number, Pools>();

/** Faker is slow per call, so each seed draws its name pools once and people pick from them. */
function poolsFor(seed: number): Pools {
  const cached = poolCache.get(seed);
  if (cached !== undefined) return cached;
  const faker = new Faker({ locale: [en] });
  faker.seed(seed);
  const draw = (n: number, next: () => string): string[] => {
    const seen = new Set<string>();
    for (let tries = 0; seen.size < n && tries < n * 20; tries++) seen.add(next());
    return [...seen];
  };
  const pools: Pools = {
    female: draw(300, () => faker.person.firstName('female')),
    male: draw(300, () => faker.person.firstName('male')),
    last: draw(500, () => faker.person.lastName()),
  };
  if (poolCache.size >= 16) poolCache.clear();
  poolCache.set(seed, pools);
  return pools;
}

const DAY = 86_400_000;
const isoCache = new Map<number, string>();
/** Dates repeat a lot across 100k people; caching the formatting halves the garbage. */
const toIso = (ms: number): string => {
  let iso = isoCache.get(ms);
  if (iso === undefined) {
    iso = new Date(ms).toISOString().slice(0, 10);
    if (isoCache.size > 100_000) isoCache.clear();
    isoCache.set(ms, iso);
  }
  return iso;
};
const fromIso = (iso: string): number => {
  const ms = Date.parse(`${iso}T00:00:00Z`);
  if (Number.isNaN(ms)) throw new RangeError(`today must be an ISO date (YYYY-MM-DD), got '${iso}'`);
  return ms;
};

const pick = <T>(rand: () => number, list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;

/** Email local part: ASCII letters and digits only (O'Kon → okon, Zoë → zoe). */
const slugCache = new Map<string, string>();
const slug = (name: string): string => {
  let out = slugCache.get(name);
  if (out === undefined) {
    out = name
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]/g, '');
    slugCache.set(name, out);
  }
  return out;
};

const capitalize = (s: string): string => (s === '' ? s : `${s[0]?.toUpperCase() ?? ''}${s.slice(1)}`);

/**
 * Builds a unique email for a name: `jane.doe@acme.example`, then `jane.doe2@…` on collision
 * (compared case-insensitively against `taken`, which it updates). ~5% are mixed-case.
 */
function makeEmail(o: { first: string; last: string; taken: Set<string>; mixedCase: boolean }): string {
  const local = `${slug(o.first) || 'x'}.${slug(o.last) || 'x'}`;
  let candidate = local;
  for (let n = 2; o.taken.has(`${candidate}@${companyDomain}`); n++) candidate = `${local}${n}`;
  o.taken.add(`${candidate}@${companyDomain}`);
  if (!o.mixedCase) return `${candidate}@${companyDomain}`;
  const [a = '', b = ''] = candidate.split('.');
  return `${capitalize(a)}.${capitalize(b)}@Acme.example`;
}

/** The draws common to roster people and new hires; dates and tree fields are set by the callers. */
function basePerson(o: { seed: number; index: number; todayMs: number; taken: Set<string> }): {
  person: HrPerson;
  rand: () => number;
  ageDays: number;
} {
  const rand = mulberry32(personSeed(o.seed, o.index));
  const pools = poolsFor(o.seed);
  const g = rand();
  const gender: HrGender = g < 0.48 ? 'female' : g < 0.96 ? 'male' : g < 0.98 ? 'diverse' : 'undefined';
  const firstPool =
    gender === 'female'
      ? pools.female
      : gender === 'male'
        ? pools.male
        : rand() < 0.5
          ? pools.female
          : pools.male;
  const firstName = pick(rand, firstPool);
  const lastName = pick(rand, pools.last);
  const email = makeEmail({ first: firstName, last: lastName, taken: o.taken, mixedCase: rand() < 0.05 });
  const ageDays = Math.floor((18 + rand() * 48) * 365.25);
  const loc = pick(rand, locationData);
  const c = rand();
  const contractType: ContractType =
    c < 0.8 ? 'permanent' : c < 0.92 ? 'fixed-term' : c < 0.96 ? 'freelance' : 'intern';
  const team1 = pick(rand, teamNames);
  const team2 = pick(rand, teamNames);
  const teams = rand() < 0.25 && team2 !== team1 ? [team1, team2] : [team1];
  const phone = `${loc.phone} ${String(1_000_000 + Math.floor(rand() * 9_000_000))}`;
  const today = toIso(o.todayMs);
  const person: HrPerson = {
    id: String(1001 + o.index),
    employeeNumber: `E${String(o.index + 1).padStart(5, '0')}`,
    firstName,
    lastName,
    email,
    gender,
    birthDate: toIso(o.todayMs - ageDays * DAY),
    firstHiredOn: today,
    currentHiredOn: today,
    department: pick(rand, departments),
    position: pick(rand, positions),
    location: loc.name,
    teams,
    managerId: null,
    phone,
    contractType,
    status: 'active',
    leavingDate: null,
  };
  return { person, rand, ageDays };
}

/**
 * One new hire (for the emulators' "hire"): active, hired `today`, no manager. The same seed and
 * index always give the same person. Pass `taken` (lower-case emails in use) to keep emails unique.
 *
 * @example
 * const p = generatePerson({ seed: 42, index: roster.length });
 */
export function generatePerson(o: {
  seed: number;
  index: number;
  today?: string;
  taken?: ReadonlySet<string>;
}): HrPerson {
  const taken = new Set(o.taken ?? []);
  return basePerson({ seed: o.seed, index: o.index, todayMs: fromIso(o.today ?? defaultToday), taken })
    .person;
}

/**
 * A whole roster, in tree order (the CEO first, managers before their reports). Same options →
 * identical output. Leavers (`leaverRate`): ~45% inactive with a past leaving date, ~35% still
 * active with a past leaving date, ~20% active with a leaving date in the next 90 days.
 *
 * @example
 * const people = generateRoster({ count: 1000, seed: 42 });
 */
export function generateRoster(o: GenerateOptions): HrPerson[] {
  const count = Math.max(0, Math.floor(o.count));
  const todayMs = fromIso(o.today ?? defaultToday);
  const leaverRate = o.leaverRate ?? 0.03;
  const taken = new Set<string>();
  const tree = mulberry32(personSeed(o.seed, -1));
  const people: HrPerson[] = [];
  // Breadth-first: the head of `managers` takes 3–10 reports, then the next person in line manages.
  let managerAt = 0;
  let quota = 3 + Math.floor(tree() * 8);
  const depth: number[] = [];
  for (let index = 0; index < count; index++) {
    const { person, rand, ageDays } = basePerson({ seed: o.seed, index, todayMs, taken });
    const careerDays = Math.max(30, ageDays - 18 * 365);
    const firstHired = todayMs - Math.floor(rand() * Math.min(careerDays, 25 * 365)) * DAY - DAY;
    person.firstHiredOn = toIso(firstHired);
    // ~10% left and came back: a later current hire date.
    const currentHired =
      rand() < 0.1 ? firstHired + Math.floor(rand() * ((todayMs - firstHired) / DAY)) * DAY : firstHired;
    person.currentHiredOn = toIso(currentHired);
    if (index === 0) {
      person.position = 'Chief Executive Officer';
      person.department = 'Operations';
      person.teams = ['Leadership'];
      depth.push(0);
    } else {
      if (quota === 0) {
        managerAt += 1;
        quota = 3 + Math.floor(tree() * 8);
      }
      quota -= 1;
      const manager = people[managerAt] as HrPerson;
      person.managerId = manager.id;
      const d = (depth[managerAt] ?? 0) + 1;
      depth.push(d);
      // Below the CEO's direct reports, people mostly work in their manager's department.
      if (d > 1 && rand() < 0.85) person.department = manager.department;
      if (rand() < leaverRate) {
        const kind = rand();
        const pastDays = 1 + Math.floor(rand() * 365);
        const past = toIso(Math.max(currentHired + DAY, todayMs - pastDays * DAY));
        if (kind < 0.45) {
          person.status = 'inactive';
          person.leavingDate = past;
        } else if (kind < 0.8) {
          person.leavingDate = past;
        } else {
          person.leavingDate = toIso(todayMs + (1 + Math.floor(rand() * 90)) * DAY);
        }
      }
    }
    people.push(person);
  }
  if (o.dirty === true) appendDirty({ people, seed: o.seed, todayMs, taken });
  return people;
}

/** The dirty records described on {@link GenerateOptions.dirty}. */
function appendDirty(o: { people: HrPerson[]; seed: number; todayMs: number; taken: Set<string> }): void {
  const { people } = o;
  const next = (): HrPerson => {
    const index = people.length;
    const { person } = basePerson({ seed: o.seed, index, todayMs: o.todayMs, taken: o.taken });
    person.managerId = people[0]?.id ?? null;
    person.firstHiredOn = toIso(o.todayMs - 400 * DAY);
    person.currentHiredOn = person.firstHiredOn;
    people.push(person);
    return person;
  };
  next().email = '';
  const duplicate = next();
  const original = people.find((p) => p.email !== '' && p !== duplicate);
  if (original !== undefined) duplicate.email = swapCase(original.email);
  const a = next();
  const b = next();
  a.managerId = b.id;
  b.managerId = a.id;
}

/** The same address in another case: a duplicate only for case-insensitive comparison. */
const swapCase = (email: string): string =>
  email === email.toLowerCase() ? capitalize(email) : email.toLowerCase();
