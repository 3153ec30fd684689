/** The API's request and response types, re-exported from the server contract (types only, no runtime code). */
export type * from '../../../src/server/contract.js';
