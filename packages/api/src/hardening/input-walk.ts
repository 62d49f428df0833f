import { randomUUID } from 'node:crypto';
import type { AnyProcedure, AnyRouter } from '@trpc/server';
import type { z } from 'zod';

/**
 * Test support: walks the router's procedures and their zod input schemas, so attack tests cover
 * every procedure (and every procedure added later) without a hand-kept list.
 */
export type ProcedureEntry = { path: string; type: 'query' | 'mutation' | 'subscription'; input: z.ZodType | null };

export function listProcedures(router: AnyRouter): ProcedureEntry[] {
  const procedures = router._def.procedures as Record<string, AnyProcedure>;
  return Object.entries(procedures).map(([path, procedure]) => {
    const inputs = procedure._def.inputs as z.ZodType[];
    if (inputs.length > 1) throw new Error(`${path}: chained inputs are not walked yet`);
    return { path, type: procedure._def.type, input: inputs[0] ?? null };
  });
}

type Def = { type: string; [key: string]: unknown };
const defOf = (schema: unknown): Def => (schema as { _zod: { def: Def } })._zod.def;

/** A string leaf of an input: where it sits, and the schema that parses it. */
export type StringLeaf = { path: (string | number)[]; schema: z.ZodType; isKey: boolean };

const stringCandidates = () => [
  'Sample text',
  'sample',
  randomUUID(),
  'someone@example.edu',
  'a'.repeat(64),
  'https://example.edu/',
  '2026-01-01',
  '2026-01',
  'abcd1234',
  // 22 characters of base64url: a share link's id.
  'Sample_share-link_id_0',
];

/**
 * A value the schema accepts, built from its definition; each string leaf is recorded with its
 * path so a test can replace exactly that leaf.
 */
export function sampleInput(schema: z.ZodType, leaves: StringLeaf[] = [], path: (string | number)[] = []): unknown {
  const def = defOf(schema);
  switch (def.type) {
    case 'string': {
      leaves.push({ path, schema, isKey: false });
      const value = stringCandidates().find((candidate) => schema.safeParse(candidate).success);
      if (value === undefined) throw new Error(`no sample string fits ${path.join('.')}`);
      return value;
    }
    case 'number':
    case 'int': {
      const value = [1, 10, 0, 1000].find((candidate) => schema.safeParse(candidate).success);
      if (value === undefined) throw new Error(`no sample number fits ${path.join('.')}`);
      return value;
    }
    case 'boolean':
      return true;
    case 'date':
      return new Date('2026-01-01T00:00:00Z');
    case 'enum':
      return Object.values(def.entries as Record<string, string>)[0];
    case 'literal':
      return (def.values as unknown[])[0];
    case 'null':
      return null;
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'nonoptional':
    case 'readonly':
    case 'catch':
      return sampleInput(def.innerType as z.ZodType, leaves, path);
    case 'pipe':
      return sampleInput(def.in as z.ZodType, leaves, path);
    case 'union': {
      const options = def.options as z.ZodType[];
      // `x.or(z.literal('').transform(...))`: the first option is the meaningful one.
      return sampleInput(options[0]!, leaves, path);
    }
    case 'object': {
      const shape = def.shape as Record<string, z.ZodType>;
      return Object.fromEntries(Object.entries(shape).map(([key, value]) => [key, sampleInput(value, leaves, [...path, key])]));
    }
    case 'array':
      return [sampleInput(def.element as z.ZodType, leaves, [...path, 0])];
    case 'record': {
      const keyLeaves: StringLeaf[] = [];
      const key = sampleInput(def.keyType as z.ZodType, keyLeaves, path) as string;
      leaves.push(...keyLeaves.map((leaf) => ({ ...leaf, isKey: true })));
      return { [key]: sampleInput(def.valueType as z.ZodType, leaves, [...path, key]) };
    }
    default:
      throw new Error(`${path.join('.') || '(input)'}: cannot sample a ${def.type} schema`);
  }
}

/** Formats that fix a string's length as well as a maximum does. */
const FIXED_FORMATS: Record<string, number> = { uuid: 36, guid: 36, date: 10 };

/** The longest value a string schema allows, or null when it allows any length. */
export function maxLengthOf(schema: z.ZodType): number | null {
  const def = defOf(schema) as Def & { format?: string; checks?: { _zod: { def: Def } }[] };
  let max: number | null = def.format && def.format in FIXED_FORMATS ? FIXED_FORMATS[def.format]! : null;
  for (const check of def.checks ?? []) {
    const checkDef = check._zod.def as Def & { check: string; maximum?: number; length?: number };
    if (checkDef.check === 'max_length') max = Math.min(max ?? Infinity, checkDef.maximum!);
    if (checkDef.check === 'length_equals') max = Math.min(max ?? Infinity, checkDef.length!);
  }
  return max;
}

/** A copy of `input` with the leaf at `leaf.path` replaced (or, for a record key, renamed). */
export function withLeaf(input: unknown, leaf: StringLeaf, replace: (current: string) => string): unknown {
  const copy = structuredClone(input);
  if (leaf.path.length === 0) return leaf.isKey ? renameOnlyKey(copy, replace) : replace(copy as string);
  let parent = copy as Record<string | number, unknown>;
  for (const step of leaf.path.slice(0, -1)) parent = parent[step] as Record<string | number, unknown>;
  const last = leaf.path.at(-1)!;
  parent[last] = leaf.isKey ? renameOnlyKey(parent[last], replace) : replace(parent[last] as string);
  return copy;
}

function renameOnlyKey(record: unknown, replace: (current: string) => string) {
  const [[key, value]] = Object.entries(record as Record<string, unknown>) as [[string, unknown]];
  return { [replace(key)]: value };
}
