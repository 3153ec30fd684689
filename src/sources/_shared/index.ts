/** The sources kit: what provider folders import (HTTP client, SSRF guard, retry policy, roster generator, emulator kit). */
export { createHttpClient, providerMessage, redact, sourceError } from './http.js';
export type { HttpClient, HttpClientOptions, HttpRequest, HttpResponse } from './http.js';
export {
  BlockedAddressError,
  checkUrl,
  guardedLookup,
  isAddressAllowed,
  isBlockedIp,
  isLoopbackHost,
  isLoopbackIp,
} from './net-guard.js';
export type { CheckUrlOptions, GuardedLookupOptions } from './net-guard.js';
export {
  backoffDelay,
  parseRetryAfter,
  retryAfterStatuses,
  retrySettings,
  retryableStatuses,
  wait,
} from './retry.js';
export type { RetrySettings } from './retry.js';
export {
  companyDomain,
  contractTypes,
  defaultToday,
  departments,
  generatePerson,
  generateRoster,
  hrGenders,
  locations,
  mulberry32,
  positions,
  teamNames,
} from './generator.js';
export type { ContractType, GenerateOptions, HrGender, HrPerson } from './generator.js';
export {
  EmulatorControlError,
  noFaults,
  parseFaultsPatch,
  startEmulator,
  truncateBody,
} from './emulator-kit.js';
export type {
  ApiContext,
  EmulatorChange,
  EmulatorFaults,
  EmulatorOptions,
  EmulatorState,
  FaultDecision,
  RunningEmulator,
} from './emulator-kit.js';
