/**
 * Compiles an Effect Schema AST into a plain validating function: the fast decode path.
 *
 * The compiled function follows Effect's `ParseResult` decoding semantics for the constructs the wire
 * format uses (keywords, literals, structs with optional/defaulted keys, filters, unions, compose) and
 * falls back to Effect's own decoder for any other node, so extension schemas may use anything.
 * Known, documented divergence: for an optional key that is inherited from the prototype rather than
 * own, Effect skips the key while this reads it (never the case for JSON.parse output).
 *
 * Failures return the `FAIL` sentinel and leave the path (innermost first is unshifted by parents) and
 * reason in the module-level `failure` record, so the success path allocates nothing but the output.
 */
import { Either, Option, ParseResult, Schema, SchemaAST } from "effect";
import { FastPredicateId } from "./annotations.js";
import { describe, discriminatorOf, fromIssue, isKeyword, unknownTagReason } from "./issue.js";

export const FAIL: unique symbol = Symbol("gametel/decode-failure");
export type Parser = (input: unknown) => unknown;

/** Where the last failure happened; valid right after a parser returned FAIL. */
export const failure: { path: PropertyKey[]; reason: string } = { path: [], reason: "" };

const PARSE_OPTIONS: SchemaAST.ParseOptions = {};

const fail = (path: PropertyKey[], reason: string): typeof FAIL => {
  failure.path = path;
  failure.reason = reason;
  return FAIL;
};

const cache = new WeakMap<SchemaAST.AST, Parser>();

export const compile = (ast: SchemaAST.AST): Parser => {
  const cached = cache.get(ast);
  if (cached !== undefined) return cached;
  // Late-bound indirection so recursive schemas (Suspend) cannot loop at compile time.
  let compiled: Parser | undefined;
  const lazy: Parser = (u) => (compiled ??= build(ast))(u);
  cache.set(ast, lazy);
  compiled = build(ast);
  cache.set(ast, compiled);
  return compiled;
};

const build = (ast: SchemaAST.AST): Parser => {
  switch (ast._tag) {
    case "StringKeyword":
      return (u) => (typeof u === "string" ? u : fail([], "expected a string"));
    case "NumberKeyword":
      return (u) => (typeof u === "number" ? u : fail([], "expected a number"));
    case "BooleanKeyword":
      return (u) => (typeof u === "boolean" ? u : fail([], "expected a boolean"));
    case "UnknownKeyword":
    case "AnyKeyword":
      return (u) => u;
    case "Literal": {
      const literal = ast.literal;
      const reason = `expected ${describe(ast)}`;
      return (u) => (u === literal ? literal : fail([], reason));
    }
    case "Refinement":
      return buildRefinement(ast);
    case "TypeLiteral":
      return buildTypeLiteral(ast, undefined);
    case "Union":
      return buildUnion(ast);
    case "Transformation":
      return buildTransformation(ast) ?? fallback(ast);
    default:
      return fallback(ast);
  }
};

const failWithIssue = (issue: ParseResult.ParseIssue): typeof FAIL => {
  const e = fromIssue(issue);
  return fail([...e.path], e.reason);
};

const buildRefinement = (ast: SchemaAST.Refinement): Parser => {
  const from = compile(ast.from);
  const filter = ast.filter;
  const fast = ast.annotations[FastPredicateId] as ((u: unknown) => boolean) | undefined;
  const wrongType = isKeyword(ast.from) ? `expected ${describe(ast)}` : undefined;
  return (u) => {
    const v = from(u);
    if (v === FAIL) {
      if (wrongType !== undefined && failure.path.length === 0) failure.reason = wrongType;
      return FAIL;
    }
    if (fast !== undefined && fast(v)) return v;
    const issue = filter(v, PARSE_OPTIONS, ast);
    return issue._tag === "None" ? v : failWithIssue(issue.value);
  };
};

type Default = (o: Option.Option<unknown>) => Option.Option<unknown>;

const buildTypeLiteral = (
  ast: SchemaAST.TypeLiteral,
  defaults: ReadonlyMap<PropertyKey, Default> | undefined,
): Parser => {
  if (ast.indexSignatures.length > 0) return fallback(ast);
  const signatures = ast.propertySignatures;
  if (signatures.length === 0) {
    return (u) => (u !== null && u !== undefined ? u : fail([], `expected ${describe(ast)}`));
  }
  const n = signatures.length;
  const names = signatures.map((ps) => ps.name);
  const optional = signatures.map((ps) => ps.isOptional);
  const parsers = signatures.map((ps) => compile(ps.type));
  const decodes = signatures.map((ps) => defaults?.get(ps.name));
  const notObject = `expected ${describe(ast)}`;
  return (u) => {
    if (typeof u !== "object" || u === null || Array.isArray(u)) return fail([], notObject);
    const input = u as Record<PropertyKey, unknown>;
    const out: Record<PropertyKey, unknown> = {};
    for (let i = 0; i < n; i++) {
      const name = names[i]!;
      const value = input[name];
      const decode = decodes[i];
      if (value === undefined && !Object.hasOwn(input, name)) {
        if (decode !== undefined) {
          const d = decode(Option.none());
          if (Option.isSome(d)) out[name] = d.value;
          continue;
        }
        if (optional[i]) continue;
        // Effect still runs the parser on `undefined` for a missing required key; mirror that.
        const r = parsers[i]!(undefined);
        if (r === FAIL) return fail([name], "is missing");
        out[name] = r;
        continue;
      }
      const r = parsers[i]!(value);
      if (r === FAIL) {
        failure.path.unshift(name);
        return FAIL;
      }
      if (decode !== undefined) {
        const d = decode(Option.some(r));
        if (Option.isSome(d)) out[name] = d.value;
      } else {
        out[name] = r;
      }
    }
    return out;
  };
};

const buildTransformation = (ast: SchemaAST.Transformation): Parser | undefined => {
  const kind = ast.transformation;
  if (kind._tag === "ComposeTransformation") {
    const from = compile(ast.from);
    const to = compile(ast.to);
    return (u) => {
      const v = from(u);
      return v === FAIL ? FAIL : to(v);
    };
  }
  if (kind._tag === "TypeLiteralTransformation" && SchemaAST.isTypeLiteral(ast.from)) {
    // Struct-level key transformations (optionalWith defaults): supported when keys are not renamed and the
    // target TypeLiteral declares the same keys in the same order with the type side of each source type.
    const defaults = new Map<PropertyKey, Default>();
    for (const pst of kind.propertySignatureTransformations) {
      if (pst.from !== pst.to) return undefined;
      defaults.set(pst.from, pst.decode);
    }
    if (!sameKeys(ast.from, ast.to)) return undefined;
    return buildTypeLiteral(ast.from, defaults);
  }
  return undefined;
};

const sameKeys = (from: SchemaAST.TypeLiteral, to: SchemaAST.AST): boolean =>
  SchemaAST.isTypeLiteral(to) &&
  to.indexSignatures.length === 0 &&
  from.indexSignatures.length === 0 &&
  to.propertySignatures.length === from.propertySignatures.length &&
  to.propertySignatures.every(
    (ps, i) =>
      ps.name === from.propertySignatures[i]!.name &&
      SchemaAST.typeAST(from.propertySignatures[i]!.type) === ps.type,
  );

const buildUnion = (ast: SchemaAST.Union): Parser => {
  const discriminator = discriminatorOf(ast);
  if (discriminator !== undefined) {
    const key = discriminator.key;
    const members = new Map<unknown, Parser>();
    for (const [literal, member] of discriminator.members) members.set(literal, compile(member));
    const unknownTag = unknownTagReason([...discriminator.members.keys()]);
    return (u) => {
      if (typeof u !== "object" || u === null || Array.isArray(u)) return fail([], "expected an object");
      const tag = (u as Record<string, unknown>)[key];
      const parser = members.get(tag);
      if (parser !== undefined) return parser(u);
      if (!Object.hasOwn(u, key)) return fail([key], "is missing");
      return fail([key], unknownTag);
    };
  }
  const parsers = ast.types.map(compile);
  const reason = `expected ${describe(ast)}`;
  return (u) => {
    for (const p of parsers) {
      const r = p(u);
      if (r !== FAIL) return r;
    }
    return fail([], reason);
  };
};

/** Any construct the compiler does not know: delegate to Effect's decoder for that node. */
const fallback = (ast: SchemaAST.AST): Parser => {
  const decode = ParseResult.decodeUnknownEither(Schema.make(ast));
  return (u) => {
    const r = decode(u);
    return Either.isRight(r) ? r.right : failWithIssue(r.left);
  };
};
