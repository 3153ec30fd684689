/** Every HR source rostersync knows, by provider id. Adding an HR system is one folder and one line here. */
import type { ProviderId, Source } from './contract.js';
import { fileSource } from './file/index.js';
import kiwihr from './kiwihr/index.js';
import nmbrs from './nmbrs/index.js';
import peoplehr from './peoplehr/index.js';
import personio from './personio/index.js';

const sources: Readonly<Record<ProviderId, Source>> = {
  personio: personio as unknown as Source,
  kiwihr: kiwihr as unknown as Source,
  nmbrs: nmbrs as unknown as Source,
  peoplehr: peoplehr as unknown as Source,
  file: fileSource as unknown as Source,
};

export const sourceRegistry = (provider: string): Source | undefined =>
  Object.hasOwn(sources, provider) ? sources[provider as ProviderId] : undefined;

export const allSources = (): readonly Source[] => Object.values(sources);
