/**
 * Generates a specialised JavaScript validator from an Effect Schema AST (the way ajv compiles JSON
 * Schema): constant property names give V8 monomorphic loads and one object literal per struct gives
 * decoded events a stable shape. Same semantics and error format as the closure compiler in `compile.ts`,
 * which remains the fallback where `new Function` is unavailable (strict Content-Security-Policy) or a
 * construct is not supported here. The `SafeDocument` key guard is fused into the struct validators:
 * known keys are safe by construction and every other key is checked, with its value, once.
 */
import { Option, ParseResult, Schema, type SchemaAST } from "effect";
import { FastPredicateId, SafeKeysId } from "./annotations.js";
import { FAIL, failure, type Parser } from "./compile.js";
import { describe, discriminatorOf, fromIssue, isKeyword, unknownTagReason } from "./issue.js";
import { findUnsafeKey, isUnsafeKey, UNSAFE_KEY_MESSAGE } from "./safeKeys.js";

class Unsupported extends Error {}

const ABSENT: unique symbol = Symbol("gametel/absent");

const fail = (path: PropertyKey[], reason: string): typeof FAIL => {
  failure.path = path;
  failure.reason = reason;
  return FAIL;
};

const failIssue = (issue: ParseResult.ParseIssue): typeof FAIL => {
  const e = fromIssue(issue);
  return fail([...e.path], e.reason);
};

const scan = (value: unknown, prefix: PropertyKey[]): typeof FAIL | undefined => {
  if (typeof value !== "object" || value === null) return undefined;
  const bad = findUnsafeKey(value);
  return bad === undefined ? undefined : fail([...prefix, ...bad.path], UNSAFE_KEY_MESSAGE);
};

const RUNTIME = {
  FAIL,
  ABSENT,
  failure,
  fail,
  failIssue,
  scan,
  hasOwn: Object.hasOwn,
  isUnsafeKey,
  NONE: Option.none(),
  some: Option.some,
  OPTS: {},
  UNSAFE: UNSAFE_KEY_MESSAGE,
};
const PRELUDE = Object.keys(RUNTIME)
  .map((k) => `const ${k} = rt.${k};`)
  .join("\n");

const lit = (value: unknown): string => {
  if (typeof value === "string" || typeof value === "boolean" || value === null) return JSON.stringify(value);
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  throw new Unsupported("literal");
};

type Default = (o: Option.Option<unknown>) => Option.Option<unknown>;

let instances = 0;

class Generator {
  private readonly deps: unknown[] = [];
  private readonly depNames = new Map<unknown, string>();
  private readonly fns: string[] = [];
  private readonly memo = [new Map<SchemaAST.AST, string>(), new Map<SchemaAST.AST, string>()];
  private count = 0;
  private readonly ctors = new Map<string, string>();

  build(ast: SchemaAST.AST): Parser {
    const root = this.fn(ast, false);
    // Unique per validator, so V8 does not share compiled code and type feedback between validators of
    // equal source (its compilation cache) and deoptimise each time another one runs.
    const source = `"use strict";\n// validator ${++instances}\n${PRELUDE}\n${this.deps.map((_, i) => `const d${i} = deps[${i}];`).join("\n")}\n${this.fns.join("\n")}\nreturn ${root};`;
    const factory = new Function("rt", "deps", source) as (rt: typeof RUNTIME, deps: unknown[]) => Parser;
    return factory(RUNTIME, this.deps);
  }

  /**
   * `new C(values…)` for an object with these keys, in this order. A constructor rather than an object
   * literal: V8 pretenures literal allocation sites whose objects tend to survive (a caller keeping a batch
   * of events), which made every later object an old-space allocation (validation at ~1.1M/s instead of
   * ~1.8M/s). One constructor per key sequence, with `Object.prototype` as prototype: plain objects that
   * share a hidden class. A key named `__proto__` keeps the literal (a constructor would set the prototype).
   */
  private construct(entries: ReadonlyArray<[string, string]>): string {
    if (entries.length === 0 || entries.some(([key]) => key === '"__proto__"')) {
      return `{ ${entries.map(([key, v]) => `${key}: ${v}`).join(", ")} }`;
    }
    const keys = entries.map(([key]) => key).join(",");
    let ctor = this.ctors.get(keys);
    if (ctor === undefined) {
      ctor = `C${this.ctors.size}`;
      this.ctors.set(keys, ctor);
      const params = entries.map((_, j) => `a${j}`);
      this.fns.push(
        `function ${ctor}(${params.join(", ")}) { ${entries.map(([key], j) => `this[${key}] = a${j};`).join(" ")} }`,
        `${ctor}.prototype = Object.prototype;`,
      );
    }
    return `new ${ctor}(${entries.map(([, v]) => v).join(", ")})`;
  }

  private dep(value: unknown): string {
    let name = this.depNames.get(value);
    if (name === undefined) {
      name = `d${this.deps.length}`;
      this.deps.push(value);
      this.depNames.set(value, name);
    }
    return name;
  }

  private fn(ast: SchemaAST.AST, safe: boolean): string {
    const memo = this.memo[safe ? 1 : 0]!;
    const hit = memo.get(ast);
    if (hit !== undefined) return hit;
    const name = `p${this.count++}`;
    memo.set(ast, name);
    this.fns.push(`function ${name}(u) {\n${this.body(ast, safe)}\n}`);
    return name;
  }

  private body(ast: SchemaAST.AST, safe: boolean): string {
    switch (ast._tag) {
      case "StringKeyword":
        return `return typeof u === "string" ? u : fail([], "expected a string");`;
      case "NumberKeyword":
        return `return typeof u === "number" ? u : fail([], "expected a number");`;
      case "BooleanKeyword":
        return `return typeof u === "boolean" ? u : fail([], "expected a boolean");`;
      case "UnknownKeyword":
      case "AnyKeyword":
        return safe ? `return scan(u, []) ?? u;` : `return u;`;
      case "Literal":
        // Return the literal itself: decoded tags are then the same internalised constant, which makes the
        // reducers' switches on event_type pointer comparisons.
        return `return u === ${lit(ast.literal)} ? ${lit(ast.literal)} : fail([], ${JSON.stringify(`expected ${describe(ast)}`)});`;
      case "Refinement":
        return this.refinement(ast, safe);
      case "TypeLiteral":
        return this.typeLiteral(ast, undefined, safe);
      case "Union":
        return this.union(ast, safe);
      case "Transformation":
        return this.transformation(ast, safe);
      default:
        return this.fallback(ast, safe);
    }
  }

  private refinement(ast: SchemaAST.Refinement, safe: boolean): string {
    const reason = JSON.stringify(`expected ${describe(ast)}`);
    const lines: string[] = [];
    if (isKeyword(ast.from)) {
      const t =
        ast.from._tag === "StringKeyword"
          ? "string"
          : ast.from._tag === "NumberKeyword"
            ? "number"
            : "boolean";
      lines.push(`if (typeof u !== "${t}") return fail([], ${reason});`, `const v = u;`);
    } else {
      lines.push(`const v = ${this.fn(ast.from, safe)}(u);`, `if (v === FAIL) return FAIL;`);
    }
    const fast = ast.annotations[FastPredicateId];
    if (typeof fast === "function") lines.push(`if (${this.dep(fast)}(v)) return v;`);
    lines.push(
      `const o = ${this.dep(ast.filter)}(v, OPTS, ${this.dep(ast)});`,
      `return o._tag === "None" ? v : failIssue(o.value);`,
    );
    return lines.join("\n");
  }

  private typeLiteral(
    ast: SchemaAST.TypeLiteral,
    defaults: ReadonlyMap<PropertyKey, Default> | undefined,
    safe: boolean,
  ): string {
    if (ast.indexSignatures.length > 0) return this.fallback(ast, safe);
    const notObject = JSON.stringify(`expected ${describe(ast)}`);
    const signatures = ast.propertySignatures;
    if (signatures.length === 0) {
      return `if (u === null || u === undefined) return fail([], ${notObject});\n${safe ? "return scan(u, []) ?? u;" : "return u;"}`;
    }
    const lines = [
      `if (typeof u !== "object" || u === null || Array.isArray(u)) return fail([], ${notObject});`,
    ];
    const literal: Array<[string, string]> = [];
    const conditional: string[] = [];
    signatures.forEach((ps, i) => {
      if (typeof ps.name !== "string") throw new Unsupported("symbol key");
      if (safe && isUnsafeKey(ps.name)) throw new Unsupported("unsafe declared key");
      const key = JSON.stringify(ps.name);
      const v = `v${i}`;
      const parse = this.fn(ps.type, safe);
      const onFail = `if (${v} === FAIL) { failure.path.unshift(${key}); return FAIL; }`;
      const decode = defaults?.get(ps.name);
      lines.push(`let ${v} = u[${key}];`);
      if (decode !== undefined) {
        const d = this.dep(decode);
        const missing = `{ const o = ${d}(NONE); ${v} = o._tag === "Some" ? o.value : ABSENT; }`;
        const present = isIdentityForSome(decode)
          ? `{ ${v} = ${parse}(${v}); ${onFail} }`
          : `{ ${v} = ${parse}(${v}); ${onFail} const o = ${d}(some(${v})); ${v} = o._tag === "Some" ? o.value : ABSENT; }`;
        lines.push(`if (${v} === undefined && !hasOwn(u, ${key})) ${missing} else ${present}`);
        conditional.push(`if (${v} !== ABSENT) out[${key}] = ${v};`);
      } else if (ps.isOptional) {
        lines.push(
          `if (${v} === undefined && !hasOwn(u, ${key})) ${v} = ABSENT; else { ${v} = ${parse}(${v}); ${onFail} }`,
        );
        conditional.push(`if (${v} !== ABSENT) out[${key}] = ${v};`);
      } else {
        lines.push(
          `if (${v} === undefined && !hasOwn(u, ${key})) { ${v} = ${parse}(undefined); if (${v} === FAIL) return fail([${key}], "is missing"); }`,
          `else { ${v} = ${parse}(${v}); ${onFail} }`,
        );
        literal.push([key, v]);
      }
    });
    if (safe) {
      const cases = signatures.map((ps) => `case ${JSON.stringify(ps.name)}:`).join(" ");
      lines.push(
        `for (const k in u) {`,
        `  switch (k) { ${cases} continue; }`,
        `  if (isUnsafeKey(k)) return fail([k], UNSAFE);`,
        `  const bad = scan(u[k], [k]); if (bad !== undefined) return bad;`,
        `}`,
      );
    }
    lines.push(`const out = ${this.construct(literal)};`, ...conditional, `return out;`);
    return lines.join("\n");
  }

  private union(ast: SchemaAST.Union, safe: boolean): string {
    const discriminator = discriminatorOf(ast);
    if (discriminator !== undefined) {
      const key = JSON.stringify(discriminator.key);
      const cases = [...discriminator.members].map(
        ([l, member]) => `case ${lit(l)}: return ${this.fn(member, safe)}(u);`,
      );
      return [
        `if (typeof u !== "object" || u === null || Array.isArray(u)) return fail([], "expected an object");`,
        `switch (u[${key}]) { ${cases.join(" ")} }`,
        `if (!hasOwn(u, ${key})) return fail([${key}], "is missing");`,
        `return fail([${key}], ${JSON.stringify(unknownTagReason([...discriminator.members.keys()]))});`,
      ].join("\n");
    }
    const tries = ast.types.map((t) => `r = ${this.fn(t, safe)}(u); if (r !== FAIL) return r;`);
    return `let r;\n${tries.join("\n")}\nreturn fail([], ${JSON.stringify(`expected ${describe(ast)}`)});`;
  }

  private transformation(ast: SchemaAST.Transformation, safe: boolean): string {
    const kind = ast.transformation;
    if (kind._tag === "ComposeTransformation") {
      const from = ast.from;
      if (
        from._tag === "Refinement" &&
        from.annotations[SafeKeysId] === true &&
        from.from._tag === "UnknownKeyword"
      ) {
        // On failure, an unsafe key anywhere wins, as in Effect where the guard runs first.
        return `const r = ${this.fn(ast.to, true)}(u);\nif (r === FAIL) { const bad = scan(u, []); if (bad !== undefined) return bad; }\nreturn r;`;
      }
      return `const v = ${this.fn(from, safe)}(u);\nreturn v === FAIL ? FAIL : ${this.fn(ast.to, false)}(v);`;
    }
    if (
      kind._tag === "TypeLiteralTransformation" &&
      ast.from._tag === "TypeLiteral" &&
      ast.to._tag === "TypeLiteral"
    ) {
      const defaults = new Map<PropertyKey, Default>();
      for (const pst of kind.propertySignatureTransformations) {
        if (pst.from !== pst.to) return this.fallback(ast, safe);
        defaults.set(pst.from, pst.decode);
      }
      const from = ast.from;
      const to = ast.to;
      const aligned =
        to.propertySignatures.length === from.propertySignatures.length &&
        to.indexSignatures.length === 0 &&
        to.propertySignatures.every((ps, i) => ps.name === from.propertySignatures[i]!.name);
      if (!aligned) return this.fallback(ast, safe);
      return this.typeLiteral(from, defaults, safe);
    }
    return this.fallback(ast, safe);
  }

  private fallback(ast: SchemaAST.AST, safe: boolean): string {
    const decode = ParseResult.decodeUnknownEither(Schema.make(ast));
    const d = this.dep(decode);
    return [
      safe ? `{ const bad = scan(u, []); if (bad !== undefined) return bad; }` : ``,
      `const r = ${d}(u);`,
      `return r._tag === "Right" ? r.right : failIssue(r.left);`,
    ].join("\n");
  }
}

/** True when `decode(Some(x))` is `Some(x)` (optionalWith `default`): the generated code can skip the call. */
const isIdentityForSome = (decode: Default): boolean => {
  const probe = {};
  try {
    const o = decode(Option.some(probe));
    return Option.isSome(o) && o.value === probe;
  } catch {
    return false;
  }
};

/** Generates the validator, or returns undefined when code generation is unavailable or unsupported. */
export const generate = (ast: SchemaAST.AST): Parser | undefined => {
  try {
    return new Generator().build(ast);
  } catch {
    return undefined;
  }
};
