/** The pure core's public surface: validate, plan, guard, managers, simulate, and the helpers they share. */
export { validate, hasLeft, fieldLabels } from './validate.js';
export type { Validation, ValidateOptions, HeldIdentities } from './validate.js';
export { plan } from './plan.js';
export { guard, countActiveLinked, countLeavers } from './guard.js';
export type { GuardOptions } from './guard.js';
export { findCycles, planManagers } from './managers.js';
export type { ManagerPlan, PlanManagersOptions, SyncedManager } from './managers.js';
export { emptyAttributes } from './plan-fields.js';
export { simulate } from './simulate.js';
export type { DirectoryState } from './simulate.js';
export {
  cleanString,
  normalizeEmail,
  nameKey,
  compareStrings,
  isIsoDate,
  isPlausibleEmail,
} from './normalize.js';
