/** The roster the Personio emulator serves, built in-process (no HTTP): for the insert floor and the planner. */
import type { SourcePerson } from '../src/core/model.js';
import { generateRoster } from '../src/sources/_shared/generator.js';
import type { HrPerson } from '../src/sources/_shared/generator.js';
import { renderEmployee } from '../src/sources/personio/emulator-render.js';
import { mapPersonioEmployee, personioAttributeKeys } from '../src/sources/personio/map.js';
import { benchToday } from './constants.js';

/**
 * The attributes the bench's Personio credential exposes: exactly those the setup steps ask an admin
 * to tick (docs/providers/personio.md), as a real account would, not every attribute Personio has.
 */
export const personioBenchAttributes: readonly string[] = Object.values(personioAttributeKeys);

/**
 * What a sync of the emulator's roster maps, without the emulator: the same generator, the same
 * Personio rendering and the connector's own `map`. Identical to a fetched roster for the same seed.
 */
export function personioRoster(o: { count: number; seed: number }): SourcePerson[] {
  const people: HrPerson[] = generateRoster({ count: o.count, seed: o.seed, today: benchToday });
  const context = {
    byId: new Map(people.map((p) => [p.id, p])),
    today: benchToday,
    keys: new Set(personioBenchAttributes),
  };
  return people.map((p) => mapPersonioEmployee(renderEmployee(p, context)));
}
