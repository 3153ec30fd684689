/** `attributes` / `excludedAttributes` (RFC 7644 §3.4.2.5): trims SCIM resources to what the client asked for. */
import type { ScimResource } from './serialize.js';

/** Attributes returned whatever the client asks (`returned: "always"`, RFC 7643 §3.1 and §2.4). */
const ALWAYS = new Set(['id', 'schemas']);

/** One requested path: the container (core, or an extension URN, lower case), the attribute, a sub-attribute. */
interface Wanted {
  readonly container: string;
  /** Null when the path names a whole extension (`urn:...:enterprise:2.0:User`). */
  readonly name: string | null;
  readonly sub: string | null;
}

const CORE = '';

/**
 * Reads `name.givenName`, `urn:...:enterprise:2.0:User:manager.value` or a bare extension URN. A URN
 * that is one of `extensions` names the whole extension; otherwise its last segment is the attribute.
 */
const parsePath = (
  raw: string,
  o: { coreSchema: string; extensions: readonly string[] },
): Wanted | undefined => {
  const path = raw.trim();
  if (path === '') return undefined;
  const lower = path.toLowerCase();
  const extension = o.extensions.find((e) => e.toLowerCase() === lower);
  if (extension !== undefined) return { container: lower, name: null, sub: null };
  let container = CORE;
  let rest = path;
  const colon = path.lastIndexOf(':');
  if (colon !== -1) {
    const schema = path.slice(0, colon).toLowerCase();
    container = schema === o.coreSchema.toLowerCase() ? CORE : schema;
    rest = path.slice(colon + 1);
  }
  const [name, sub] = rest.split('.');
  if (name === undefined || name === '') return undefined;
  return { container, name: name.toLowerCase(), sub: sub === undefined ? null : sub.toLowerCase() };
};

/** Parses a comma-separated parameter (`attributes=userName,name.givenName`). */
export const parseAttributeList = (
  raw: string | undefined,
  o: { coreSchema: string; extensions: readonly string[] },
): Wanted[] => (raw === undefined ? [] : raw.split(',').flatMap((p) => parsePath(p, o) ?? []));

/** Keeps the sub-attributes listed in `subs` (all of them when `subs` is undefined) of a value. */
const pickSubs = (value: unknown, subs: ReadonlySet<string> | undefined): unknown => {
  if (subs === undefined) return value;
  const pick = (v: unknown): unknown => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return v;
    return Object.fromEntries(Object.entries(v).filter(([k]) => subs.has(k.toLowerCase())));
  };
  return Array.isArray(value) ? value.map(pick) : pick(value);
};

const dropSubs = (value: unknown, subs: ReadonlySet<string>): unknown => {
  const drop = (v: unknown): unknown => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return v;
    return Object.fromEntries(Object.entries(v).filter(([k]) => !subs.has(k.toLowerCase())));
  };
  return Array.isArray(value) ? value.map(drop) : drop(value);
};

/** name (lower case) → undefined for "the whole attribute", or the set of sub-attributes. */
type Selection = Map<string, Set<string> | undefined>;

const select = (wanted: readonly Wanted[], container: string): { whole: boolean; attrs: Selection } => {
  const attrs: Selection = new Map();
  let whole = false;
  for (const w of wanted) {
    if (w.container !== container) continue;
    if (w.name === null) {
      whole = true;
      continue;
    }
    const current = attrs.get(w.name);
    if (w.sub === null) attrs.set(w.name, undefined);
    else if (!attrs.has(w.name)) attrs.set(w.name, new Set([w.sub]));
    else current?.add(w.sub);
  }
  return { whole, attrs };
};

const isExtensionKey = (key: string): boolean => key.toLowerCase().startsWith('urn:');

/** Applies `attributes` (only these, plus id and schemas) to one container's object. */
const keepOnly = (obj: Record<string, unknown>, attrs: Selection, core: boolean): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(obj)) {
    if (core && (ALWAYS.has(key) || isExtensionKey(key))) {
      out[key] = value;
      continue;
    }
    const lower = key.toLowerCase();
    if (!attrs.has(lower)) continue;
    const picked = pickSubs(value, attrs.get(lower));
    out[key] = picked;
  }
  return out;
};

const removeAll = (
  obj: Record<string, unknown>,
  attrs: Selection,
  core: boolean,
): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(obj)) {
    const lower = key.toLowerCase();
    if ((core && (ALWAYS.has(key) || isExtensionKey(key))) || !attrs.has(lower)) {
      out[key] = value;
      continue;
    }
    const subs = attrs.get(lower);
    if (subs !== undefined) out[key] = dropSubs(value, subs);
  }
  return out;
};

/**
 * Trims a resource. With `attributes`, only the named attributes (plus `id` and `schemas`) remain; with
 * `excludedAttributes` (used only when `attributes` is empty), the named ones go. Names are
 * case-insensitive; unknown names are ignored, as RFC 7644 lets a service provider do.
 */
export const projectResource = (
  resource: ScimResource,
  o: { attributes: readonly Wanted[]; excludedAttributes: readonly Wanted[] },
): ScimResource => {
  const include = o.attributes.length > 0;
  const wanted = include ? o.attributes : o.excludedAttributes;
  if (wanted.length === 0) return resource;
  const { attrs: coreAttrs } = select(wanted, CORE);
  const out = include ? keepOnly(resource, coreAttrs, true) : removeAll(resource, coreAttrs, true);
  for (const key of Object.keys(out)) {
    const value = out[key];
    if (!isExtensionKey(key) || typeof value !== 'object' || value === null || Array.isArray(value)) continue;
    const { whole, attrs } = select(wanted, key.toLowerCase());
    const obj = value as Record<string, unknown>;
    let next: Record<string, unknown> | undefined;
    if (include) next = whole ? obj : attrs.size === 0 ? undefined : keepOnly(obj, attrs, false);
    else next = whole ? undefined : attrs.size === 0 ? obj : removeAll(obj, attrs, false);
    if (next === undefined || Object.keys(next).length === 0) delete out[key];
    else out[key] = next;
  }
  // `schemas` lists the extensions the representation still carries.
  if (Array.isArray(out.schemas)) {
    out.schemas = (out.schemas as unknown[]).filter(
      (s) => typeof s !== 'string' || !isExtensionKey(s) || s in out || !(s in resource),
    );
  }
  return out;
};

/** Whether a projection keeps (any part of) a core attribute: lets the route skip reading what goes. */
export const keepsAttribute = (
  o: { attributes: readonly Wanted[]; excludedAttributes: readonly Wanted[] },
  name: string,
): boolean => {
  const lower = name.toLowerCase();
  const named = (w: Wanted) => w.container === CORE && w.name === lower;
  if (o.attributes.length > 0) return o.attributes.some(named);
  return !o.excludedAttributes.some((w) => named(w) && w.sub === null);
};
