/**
 * One error format for both decoders: a ParseIssue (Effect's, or one a filter returned to the fast path)
 * becomes `{ path, reason }`, with reasons built from the schema's own `description` annotations.
 */
import { Option, type ParseResult, SchemaAST } from "effect";

export interface RawDecodeError {
  readonly path: ReadonlyArray<PropertyKey>;
  readonly reason: string;
}

/** Human description of what an AST node accepts: its `description` annotation, else a structural one. */
export const describe = (ast: SchemaAST.AST): string => {
  const annotated = SchemaAST.getDescriptionAnnotation(ast);
  if (Option.isSome(annotated)) return annotated.value;
  switch (ast._tag) {
    case "StringKeyword":
      return "a string";
    case "NumberKeyword":
      return "a number";
    case "BooleanKeyword":
      return "a boolean";
    case "Literal":
      return ast.literal === null ? "null" : JSON.stringify(ast.literal);
    case "TypeLiteral":
      return "an object";
    case "Union":
      return [...new Set(ast.types.map(describe))].join(" or ");
    case "Refinement":
      return describe(ast.from);
    case "Transformation":
      return describe(ast.from);
    default:
      return ast.toString();
  }
};

/** String, number and boolean keywords: a refinement over one reports its own description when the type is wrong. */
export const isKeyword = (ast: SchemaAST.AST): boolean =>
  ast._tag === "StringKeyword" || ast._tag === "NumberKeyword" || ast._tag === "BooleanKeyword";

/** Reason for an unknown discriminator value (`event_type`), shared by both decoders. */
export const unknownTagReason = (literals: ReadonlyArray<SchemaAST.LiteralValue>): string =>
  `expected one of ${literals.map((l) => JSON.stringify(l)).join(", ")}`;

const first = <A>(x: A | ReadonlyArray<A>): A => (Array.isArray(x) ? (x as ReadonlyArray<A>)[0]! : (x as A));

/** Flattens the first failure of a ParseIssue tree into a path and a reason. */
export const fromIssue = (
  issue: ParseResult.ParseIssue,
  prefix: ReadonlyArray<PropertyKey> = [],
): RawDecodeError => {
  let path: PropertyKey[] = [...prefix];
  let current: ParseResult.ParseIssue = issue;
  for (;;) {
    switch (current._tag) {
      case "Pointer":
        path = path.concat(current.path as PropertyKey | PropertyKey[]);
        current = current.issue;
        continue;
      case "Refinement":
        if (current.kind === "From" && isKeyword(current.ast.from) && current.issue._tag === "Type") {
          return { path, reason: `expected ${describe(current.ast)}` };
        }
        current = current.issue;
        continue;
      case "Transformation":
        current = current.issue;
        continue;
      case "Composite": {
        const unionReason = compositeUnionReason(current);
        if (unionReason !== undefined)
          return { path: path.concat(unionReason.path), reason: unionReason.reason };
        current = first(current.issues);
        continue;
      }
      case "Type":
        return { path, reason: current.message ?? `expected ${describe(current.ast)}` };
      case "Missing":
        return { path, reason: current.message ?? "is missing" };
      case "Unexpected":
        return { path, reason: current.message ?? "is unexpected" };
      case "Forbidden":
        return { path, reason: current.message ?? "is forbidden" };
    }
  }
};

/**
 * Effect reports a failed union as a Composite over its members. For a union of objects discriminated by a
 * literal key (the event union) we report the member's own failure, or the unknown tag; for any other union
 * (e.g. `string | null`) we report the union itself, as the fast path does.
 */
const compositeUnionReason = (
  issue: ParseResult.Composite,
): { readonly path: ReadonlyArray<PropertyKey>; readonly reason: string } | undefined => {
  if (!SchemaAST.isUnion(issue.ast)) return undefined;
  const tag = discriminatorOf(issue.ast);
  if (tag === undefined) return { path: [], reason: `expected ${describe(issue.ast)}` };
  const actual = issue.actual;
  if (typeof actual !== "object" || actual === null || Array.isArray(actual)) {
    return { path: [], reason: "expected an object" };
  }
  const value: unknown = (actual as Record<PropertyKey, unknown>)[tag.key];
  const member = tag.members.get(value as SchemaAST.LiteralValue);
  if (member === undefined) {
    if (!Object.hasOwn(actual, tag.key)) return { path: [tag.key], reason: "is missing" };
    return { path: [tag.key], reason: unknownTagReason([...tag.members.keys()]) };
  }
  const issues: ReadonlyArray<ParseResult.ParseIssue> = Array.isArray(issue.issues)
    ? (issue.issues as ReadonlyArray<ParseResult.ParseIssue>)
    : [issue.issues as ParseResult.ParseIssue];
  const own = issues.find((i) => "ast" in i && i.ast === member);
  return fromIssue(own ?? first(issue.issues));
};

export interface Discriminator {
  readonly key: string;
  readonly members: ReadonlyMap<SchemaAST.LiteralValue, SchemaAST.AST>;
}

const discriminatorCache = new WeakMap<SchemaAST.Union, Discriminator | null>();

/** The underlying TypeLiteral of a struct schema (through refinements and struct transformations). */
export const typeLiteralOf = (ast: SchemaAST.AST): SchemaAST.TypeLiteral | undefined => {
  switch (ast._tag) {
    case "TypeLiteral":
      return ast;
    case "Refinement":
      return typeLiteralOf(ast.from);
    case "Transformation":
      return ast.transformation._tag === "TypeLiteralTransformation" ? typeLiteralOf(ast.from) : undefined;
    default:
      return undefined;
  }
};

/** A string key whose type is a distinct single literal in every member, if the union has one. */
export const discriminatorOf = (union: SchemaAST.Union): Discriminator | undefined => {
  const cached = discriminatorCache.get(union);
  if (cached !== undefined) return cached ?? undefined;
  let result: Discriminator | undefined;
  const literals = union.types.map(typeLiteralOf);
  const firstMember = literals[0];
  if (firstMember !== undefined && literals.every((l) => l !== undefined)) {
    for (const candidate of firstMember.propertySignatures) {
      if (typeof candidate.name !== "string") continue;
      const members = new Map<SchemaAST.LiteralValue, SchemaAST.AST>();
      let ok = true;
      for (let i = 0; i < literals.length && ok; i++) {
        const ps = literals[i]!.propertySignatures.find((p) => p.name === candidate.name);
        if (
          ps === undefined ||
          ps.isOptional ||
          !SchemaAST.isLiteral(ps.type) ||
          members.has(ps.type.literal)
        ) {
          ok = false;
        } else {
          members.set(ps.type.literal, union.types[i]!);
        }
      }
      if (ok) {
        result = { key: candidate.name, members };
        break;
      }
    }
  }
  discriminatorCache.set(union, result ?? null);
  return result;
};
