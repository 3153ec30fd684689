/** Fixed inputs of every benchmark run: the same seed and date give the same roster and the same plans. */

/** The generator's default date: the emulators' `today` and the date the bench clock starts at. */
export const benchToday = '2026-11-23';

/** Roster seed (`--seed` overrides it). */
export const defaultSeed = 7;

/** Timed repetitions of each measurement; the median is reported (the machine is shared and noisy). */
export const defaultRepeats = 3;

/** Sizes of a full run and of `--quick`. */
export const fullSizes = [1_000, 10_000, 100_000] as const;
export const quickSizes = [1_000, 10_000] as const;
