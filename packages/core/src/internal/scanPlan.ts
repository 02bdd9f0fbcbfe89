/**
 * Scan plans: what the byte scanner (`byteScanner.ts`) needs to know about a schema, derived from the same
 * Effect Schema AST as the validators. A plan describes the objects (structs and the discriminated union
 * of event types); every scalar field keeps the validator that `compile.ts` builds for its AST, so the
 * scanner accepts a scalar exactly when the general path would, and returns the same value.
 *
 * Anything a plan cannot describe becomes a leaf that accepts only scalars: an object there makes the
 * scanner give up (`BAIL`) and the general path decide. The plan never has to be complete, only right.
 */
import { Option, type SchemaAST } from "effect";
import { FastPredicateId, SafeKeysId } from "./annotations.js";
import { compile, type Parser } from "./compile.js";
import { discriminatorOf } from "./issue.js";
import { isUnsafeKey } from "./safeKeys.js";

/** Returned by plan steps and the scanner when the fast path cannot decide: use the general path. */
export const BAIL: unique symbol = Symbol("gametel/bail");
/** Marks a field with no value (optional and missing, or a default that chose none). */
export const ABSENT: unique symbol = Symbol("gametel/absent");

type Default = (o: Option.Option<unknown>) => Option.Option<unknown>;

/** A field of a struct plan. `struct` is set when the field's value is an object scanned by that plan. */
export interface FieldPlan {
  readonly name: string;
  /** The field's validator, applied to the scanned scalar (never to an object). */
  readonly parse: Parser;
  /**
   * True when `parse` is a pure function of a scalar (keywords, literals, refinements and unions of
   * them; no transformations): then the last accepted string and its output are remembered, and a
   * repeated value (the same game, server, event type, weapon) skips the validator. Strings only:
   * `0 === -0`, so a remembered number could hand back the wrong zero.
   */
  readonly memo: boolean;
  lastIn: unknown;
  lastOut: unknown;
  readonly struct: StructPlan | undefined;
  readonly optional: boolean;
  readonly decodeDefault: Default | undefined;
  /** `decodeDefault(Some(x))` is `Some(x)`: skip the call when the key is present. */
  readonly defaultIsIdentityForSome: boolean;
}

/** An object with declared keys (at most 31), built into the same shape as the generated validator's. */
export interface StructPlan {
  readonly fields: ReadonlyArray<FieldPlan>;
  /** UTF-8 bytes of each field name, for comparing keys in place. */
  readonly keys: ReadonlyArray<Uint8Array>;
  /** Refinements on the whole struct, checked on the built object. */
  readonly refinements: ReadonlyArray<(value: object) => boolean>;
}

/** A union of structs told apart by one literal-valued key (the `event_type` of an event set). */
export interface UnionPlan {
  readonly key: string;
  /** All keys any member declares (at most 31); members map their fields to these slots. */
  readonly slots: ReadonlyArray<string>;
  readonly keys: ReadonlyArray<Uint8Array>;
  readonly tagSlot: number;
  readonly members: ReadonlyMap<unknown, UnionMember>;
}

export interface UnionMember {
  readonly struct: StructPlan;
  /** `fieldOfSlot[slot]` is the member's field index for that key, or -1 when the member lacks it. */
  readonly fieldOfSlot: Int8Array;
}

class Unsupported extends Error {}

const MAX_FIELDS = 31;
const OPTS = {};
const utf8 = new TextEncoder();

const isIdentityForSome = (decode: Default): boolean => {
  const probe = {};
  try {
    const o = decode(Option.some(probe));
    return Option.isSome(o) && o.value === probe;
  } catch {
    return false;
  }
};

/** The predicate of a struct-level refinement: the fast-predicate annotation, else Effect's filter. */
const refinementCheck = (ast: SchemaAST.Refinement): ((value: object) => boolean) => {
  const fast = ast.annotations[FastPredicateId] as ((u: unknown) => boolean) | undefined;
  if (fast !== undefined) return fast;
  const filter = ast.filter;
  return (value) => filter(value, OPTS, ast)._tag === "None";
};

/** Keywords, literals, and refinements and unions of them: validators that return their input or FAIL. */
const isPureCheck = (ast: SchemaAST.AST): boolean => {
  switch (ast._tag) {
    case "StringKeyword":
    case "NumberKeyword":
    case "BooleanKeyword":
    case "Literal":
      return true;
    case "Refinement":
      return isPureCheck(ast.from);
    case "Union":
      return ast.types.every(isPureCheck);
    default:
      return false;
  }
};

const structCache = new WeakMap<SchemaAST.AST, StructPlan | null>();

/** The struct plan of an AST, or undefined when the AST is not a struct the scanner can build. */
const structPlanOf = (ast: SchemaAST.AST): StructPlan | undefined => {
  const cached = structCache.get(ast);
  if (cached !== undefined) return cached ?? undefined;
  structCache.set(ast, null); // recursive schemas: the inner occurrence is a leaf
  let plan: StructPlan | undefined;
  try {
    plan = buildStruct(ast, undefined, []);
  } catch (e) {
    if (!(e instanceof Unsupported)) throw e;
  }
  structCache.set(ast, plan ?? null);
  return plan;
};

const buildStruct = (
  ast: SchemaAST.AST,
  defaults: ReadonlyMap<PropertyKey, Default> | undefined,
  refinements: ReadonlyArray<(value: object) => boolean>,
): StructPlan => {
  switch (ast._tag) {
    case "Refinement":
      // Outer refinements run last, after the inner ones (the order Effect applies them in).
      return buildStruct(ast.from, defaults, [refinementCheck(ast), ...refinements]);
    case "Transformation": {
      const kind = ast.transformation;
      if (kind._tag !== "TypeLiteralTransformation" || ast.from._tag !== "TypeLiteral") break;
      if (ast.to._tag !== "TypeLiteral" || ast.to.indexSignatures.length > 0) break;
      const from = ast.from;
      const to = ast.to;
      const aligned =
        to.propertySignatures.length === from.propertySignatures.length &&
        to.propertySignatures.every((ps, i) => ps.name === from.propertySignatures[i]!.name);
      if (!aligned || defaults !== undefined) break;
      const map = new Map<PropertyKey, Default>();
      for (const pst of kind.propertySignatureTransformations) {
        if (pst.from !== pst.to) throw new Unsupported("renamed key");
        map.set(pst.from, pst.decode);
      }
      return buildStruct(from, map, refinements);
    }
    case "TypeLiteral": {
      if (ast.indexSignatures.length > 0) break;
      const signatures = ast.propertySignatures;
      if (signatures.length === 0 || signatures.length > MAX_FIELDS) break;
      const fields = signatures.map((ps): FieldPlan => {
        const name = ps.name;
        if (typeof name !== "string" || name === "__proto__" || isUnsafeKey(name))
          throw new Unsupported("key");
        const decodeDefault = defaults?.get(name);
        return {
          name,
          parse: compile(ps.type),
          memo: isPureCheck(ps.type),
          lastIn: ABSENT,
          lastOut: ABSENT,
          struct: structPlanOf(ps.type),
          optional: ps.isOptional,
          decodeDefault,
          defaultIsIdentityForSome: decodeDefault !== undefined && isIdentityForSome(decodeDefault),
        };
      });
      return {
        fields,
        keys: fields.map((f) => utf8.encode(f.name)),
        refinements,
      };
    }
    default:
      break;
  }
  throw new Unsupported(ast._tag);
};

/**
 * The union plan of an event-set schema (`SafeDocument` compose a discriminated union of structs), or
 * undefined when the schema has another shape; then every input takes the general path.
 */
export const unionPlanOf = (ast: SchemaAST.AST): UnionPlan | undefined => {
  // The key guard needs no step here: the scanner accepts declared keys only, and those are checked safe.
  if (
    ast._tag === "Transformation" &&
    ast.transformation._tag === "ComposeTransformation" &&
    ast.from._tag === "Refinement" &&
    ast.from.annotations[SafeKeysId] === true &&
    ast.from.from._tag === "UnknownKeyword"
  ) {
    return unionPlanOf(ast.to);
  }
  if (ast._tag !== "Union") return undefined;
  const discriminator = discriminatorOf(ast);
  if (discriminator === undefined) return undefined;
  const slots: string[] = [];
  const structs = new Map<unknown, StructPlan>();
  for (const [literal, memberAst] of discriminator.members) {
    const struct = structPlanOf(memberAst);
    if (struct === undefined) continue; // that type always takes the general path
    structs.set(literal, struct);
    for (const f of struct.fields) if (!slots.includes(f.name)) slots.push(f.name);
  }
  if (structs.size === 0 || slots.length > MAX_FIELDS) return undefined;
  const members = new Map<unknown, UnionMember>();
  for (const [literal, struct] of structs) {
    const fieldOfSlot = new Int8Array(slots.length).fill(-1);
    struct.fields.forEach((f, i) => (fieldOfSlot[slots.indexOf(f.name)] = i));
    members.set(literal, { struct, fieldOfSlot });
  }
  return {
    key: discriminator.key,
    slots,
    keys: slots.map((s) => utf8.encode(s)),
    tagSlot: slots.indexOf(discriminator.key),
    members,
  };
};
