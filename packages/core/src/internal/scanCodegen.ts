/**
 * Generates the byte scanner of an event set from its scan plan (`scanPlan.ts`): one JavaScript function
 * per struct and one for the union of event types, with the declared keys compared as constant bytes,
 * the scan position in a local variable and each event type's output object as one literal. The code
 * only reads JSON and calls the fields' own validators; whatever it does not expect, it leaves to the
 * general path by returning `BAIL`.
 */
import { Option } from "effect";
import { FAIL } from "./compile.js";
import { ABSENT, BAIL, type FieldPlan, type StructPlan, type UnionPlan } from "./scanPlan.js";
import { at, readScalar, skipWs } from "./scanPrimitives.js";

/** A decoder of bytes or text, with the result type of `Decoder.decode`. */
export type BytesDecoder = (input: Uint8Array | string, options?: { readonly maxBytes?: number }) => unknown;

export interface GeneratedScanner {
  /** Scans one event from its bytes: the decoded event, or BAIL. */
  readonly scan: (bytes: Uint8Array) => unknown;
  /** The scanner first, the general decoder where it gives up (or for text and oversized input). */
  readonly decode: BytesDecoder;
}

const RUNTIME = { BAIL, ABSENT, FAIL, at, readScalar, skipWs, NONE: Option.none(), some: Option.some };
const PRELUDE = Object.keys(RUNTIME)
  .map((k) => `const ${k} = rt.${k};`)
  .join("\n");

const WS = `if (c <= 32) { i = skipWs(b, i, e); c = b[i]; }`;

/**
 * `k = index; i += ...` when the bytes at `i` are `"key"` for one of `keys`: a switch on the first byte,
 * then per key the closing quote (its length) and the bytes from the end, where keys sharing a prefix
 * (`event_id`, `event_time`) differ.
 */
const keyChain = (keys: ReadonlyArray<Uint8Array>): string => {
  const groups = new Map<number, string[]>();
  keys.forEach((key, k) => {
    const n = key.length;
    const tests = [`i + ${n + 1} < e`, `b[i + ${n + 1}] === 34`];
    for (let j = n - 1; j >= 1; j--) tests.push(`b[i + ${j + 1}] === ${key[j]}`);
    const branch = `if (${tests.join(" && ")}) { k = ${k}; i += ${n + 2}; }`;
    const first = n === 0 ? 34 : key[0]!;
    groups.set(first, [...(groups.get(first) ?? []), branch]);
  });
  const cases = [...groups].map(([first, branches]) => `case ${first}: ${branches.join(" else ")} break;`);
  return `let k = -1;\nswitch (b[i + 1]) { ${cases.join("\n")} }`;
};

/** Reads `:` and the value's first byte, then the `,` or `}` after the value; shared by both loops. */
const LOOP_HEAD = [`c = b[i]; ${WS}`, `if (c !== 58) return BAIL;`, `i++; c = b[i]; ${WS}`].join("\n");
const LOOP_TAIL = [
  `c = b[i]; ${WS}`,
  `if (c === 44) { i++; c = b[i]; ${WS} continue; }`,
  `if (c === 125) { i++; break; }`,
  `return BAIL;`,
].join("\n");

let instances = 0;

class ScannerGenerator {
  private readonly deps: unknown[] = [];
  private readonly fns: string[] = [];
  private readonly names = new Map<StructPlan, string>();
  private readonly ctors = new Map<string, string>();

  build(plan: UnionPlan, general: BytesDecoder, defaultMaxBytes: number): GeneratedScanner {
    const root = this.union(plan);
    const fallback = this.dep(general);
    const source = [
      `"use strict";`,
      // A unique source per scanner: V8 would otherwise share compiled code and type feedback between
      // scanners of equal source (its compilation cache), inline one scanner's calls and deoptimise
      // whenever another runs.
      `// scanner ${++instances}`,
      PRELUDE,
      ...this.deps.map((_, n) => `const d${n} = deps[${n}];`),
      ...this.fns,
      `function scan(b) { try { return ${root}(b); } catch { return BAIL; } }`,
      `function Ok(event) { this.ok = true; this.event = event; }`,
      `Ok.prototype = Object.prototype;`,
      `function decode(input, options) {`,
      `  if (typeof input !== "string" && input.byteLength <= (options?.maxBytes ?? ${defaultMaxBytes})) {`,
      `    const event = scan(input);`,
      `    if (event !== BAIL) return new Ok(event);`,
      `  }`,
      `  return ${fallback}(input, options);`,
      `}`,
      `return { scan, decode };`,
    ].join("\n");
    const factory = new Function("rt", "deps", source) as (
      rt: typeof RUNTIME,
      deps: unknown[],
    ) => GeneratedScanner;
    return factory(RUNTIME, this.deps);
  }

  private dep(value: unknown): string {
    this.deps.push(value);
    return `d${this.deps.length - 1}`;
  }

  /** Code that validates field `f` held in variable `v` (present when bit `bit` of `seen` is set). */
  private finishField(f: FieldPlan, v: string, present: string): string {
    const lines: string[] = [];
    const missing =
      f.decodeDefault !== undefined
        ? `{ const o = ${this.dep(f.decodeDefault)}(NONE); ${v} = o._tag === "Some" ? o.value : ABSENT; }`
        : f.optional
          ? `${v} = ABSENT;`
          : `return BAIL;`;
    let check: string;
    if (f.struct !== undefined) {
      check = `if (typeof ${v} !== "object" || ${v} === null) return BAIL;`;
    } else if (f.memo) {
      const fp = this.dep(f);
      check = `if (${v} === ${fp}.lastIn) ${v} = ${fp}.lastOut; else { const r = ${fp}.parse(${v}); if (r === FAIL) return BAIL; if (typeof ${v} === "string") { ${fp}.lastIn = ${v}; ${fp}.lastOut = r; } ${v} = r; }`;
    } else {
      check = `{ const r = ${this.dep(f.parse)}(${v}); if (r === FAIL) return BAIL; ${v} = r; }`;
    }
    if (f.decodeDefault !== undefined && !f.defaultIsIdentityForSome) {
      check += ` { const o = ${this.dep(f.decodeDefault)}(some(${v})); ${v} = o._tag === "Some" ? o.value : ABSENT; }`;
    }
    lines.push(`if (!(${present})) ${missing} else { ${check} }`);
    return lines.join("\n");
  }

  /** Code that builds the output object `o` of a struct from variables `vars` and runs its refinements. */
  private buildObject(plan: StructPlan, vars: ReadonlyArray<string>): string {
    const conditional = (f: FieldPlan) => f.optional || f.decodeDefault !== undefined;
    const required = plan.fields.flatMap((f, n) => (conditional(f) ? [] : [n]));
    // A constructor rather than an object literal: V8 pretenures literal allocation sites whose objects
    // tend to survive (a caller keeping a batch of events), which made every later event an old-space
    // allocation. The prototype is Object.prototype: the objects are plain, like the literal's.
    // One constructor per key sequence, so that all event types share the envelope's hidden class and
    // code reading `event.event_type` stays monomorphic.
    const keys = JSON.stringify(required.map((n) => plan.fields[n]!.name));
    let ctor = this.ctors.get(keys);
    if (ctor === undefined) {
      ctor = `O${this.ctors.size}`;
      this.ctors.set(keys, ctor);
      const params = required.map((_, j) => `a${j}`);
      this.fns.push(
        `function ${ctor}(${params.join(", ")}) { ${required
          .map((n, j) => `this[${JSON.stringify(plan.fields[n]!.name)}] = a${j};`)
          .join(" ")} }`,
        `${ctor}.prototype = Object.prototype;`,
      );
    }
    const lines = [`const o = new ${ctor}(${required.map((n) => vars[n]).join(", ")});`];
    plan.fields.forEach((f, n) => {
      if (conditional(f)) lines.push(`if (${vars[n]} !== ABSENT) o[${JSON.stringify(f.name)}] = ${vars[n]};`);
    });
    for (const check of plan.refinements) lines.push(`if (!${this.dep(check)}(o)) return BAIL;`);
    return lines.join("\n");
  }

  /** The value of a field at `i` into variable `v`: a nested struct or a scalar. */
  private readValue(f: FieldPlan, v: string): string {
    if (f.struct !== undefined) {
      return `if (c !== 123) return BAIL; ${v} = ${this.struct(f.struct)}(b, i, e); if (${v} === BAIL) return BAIL; i = at.i;`;
    }
    return this.readScalarCode(v);
  }

  /** Reads a scalar into `v`. */
  private readScalarCode(v: string): string {
    return `${v} = readScalar(b, i, e); if (${v} === BAIL) return BAIL; i = at.i;`;
  }

  /** The function scanning a struct at its `{`: returns the built object (and `at.i`) or BAIL. */
  private struct(plan: StructPlan): string {
    const known = this.names.get(plan);
    if (known !== undefined) return known;
    const name = `s${this.names.size}`;
    this.names.set(plan, name);
    const vars = plan.fields.map((_, n) => `v${n}`);
    const cases = plan.fields.map((f, n) => `case ${n}: ${this.readValue(f, vars[n]!)} break;`);
    const body = [
      `function ${name}(b, i, e) {`,
      `let ${vars.map((v) => `${v} = ABSENT`).join(", ")};`,
      `let seen = 0;`,
      `i++; let c = b[i]; ${WS}`,
      `if (c === 125) i++;`,
      `else for (;;) {`,
      `if (c !== 34) return BAIL;`,
      keyChain(plan.keys),
      `if (k < 0 || (seen & (1 << k)) !== 0) return BAIL;`,
      `seen |= 1 << k;`,
      LOOP_HEAD,
      `switch (k) { ${cases.join("\n")} }`,
      LOOP_TAIL,
      `}`,
      ...plan.fields.map((f, n) => this.finishField(f, vars[n]!, `(seen & ${1 << n}) !== 0`)),
      this.buildObject(plan, vars),
      `at.i = i;`,
      `return o;`,
      `}`,
    ];
    this.fns.push(body.join("\n"));
    return name;
  }

  /** The entry function: the union's keys, the tag, then the member's validation and object. */
  private union(plan: UnionPlan): string {
    const members = [...plan.members.values()];
    const tags = new Map<unknown, number>();
    [...plan.members.keys()].forEach((tag, m) => tags.set(tag, m));
    const tagMap = this.dep(tags);
    const slots = plan.slots.map((_, s) => `r${s}`);
    const cases = plan.slots.map((_, s) => {
      const read = this.readScalarCode(slots[s]!);
      if (s === plan.tagSlot) {
        return `case ${s}: ${read} m = ${tagMap}.get(${slots[s]}) ?? -1; if (m < 0) return BAIL; break;`;
      }
      const structCases = members.flatMap((member, m) => {
        const field = member.fieldOfSlot[s]!;
        const struct = field < 0 ? undefined : member.struct.fields[field]!.struct;
        return struct === undefined
          ? []
          : [`case ${m}: ${slots[s]} = ${this.struct(struct)}(b, i, e); break;`];
      });
      if (structCases.length === 0) return `case ${s}: ${read} break;`;
      return [
        `case ${s}: if (c === 123) {`,
        `switch (m) { ${structCases.join(" ")} default: return BAIL; }`,
        `if (${slots[s]} === BAIL) return BAIL; i = at.i;`,
        `} else { ${read} } break;`,
      ].join("\n");
    });
    // One function per event type validates and builds it, keeping the scanning loop small.
    const params = [`seen`, ...slots].join(", ");
    const finishes = members.map((member, m) => {
      const vars = member.struct.fields.map((_, n) => `v${n}`);
      const fieldSlots = member.struct.fields.map((f) => plan.slots.indexOf(f.name));
      const foreign = plan.slots
        .map((_, s) => s)
        .filter((s) => member.fieldOfSlot[s]! < 0)
        .reduce((mask, s) => mask | (1 << s), 0);
      this.fns.push(
        [
          `function finish${m}(${params}) {`,
          foreign === 0 ? `` : `if ((seen & ${foreign}) !== 0) return BAIL;`,
          `let ${vars.map((v, n) => `${v} = r${fieldSlots[n]}`).join(", ")};`,
          ...member.struct.fields.map((f, n) =>
            this.finishField(f, vars[n]!, `(seen & ${1 << fieldSlots[n]!}) !== 0`),
          ),
          this.buildObject(member.struct, vars),
          `return o;`,
          `}`,
        ].join("\n"),
      );
      return `case ${m}: return finish${m}(${params});`;
    });
    const body = [
      `function scanEvent(b) {`,
      `const e = b.length;`,
      `let i = 0; let c = b[0]; ${WS}`,
      `if (c !== 123) return BAIL;`,
      `let ${slots.map((r) => `${r} = ABSENT`).join(", ")};`,
      `let seen = 0; let m = -1;`,
      `i++; c = b[i]; ${WS}`,
      `for (;;) {`,
      `if (c !== 34) return BAIL;`,
      keyChain(plan.keys),
      `if (k < 0 || (seen & (1 << k)) !== 0) return BAIL;`,
      `seen |= 1 << k;`,
      LOOP_HEAD,
      `switch (k) { ${cases.join("\n")} }`,
      LOOP_TAIL,
      `}`,
      `if (i < e && skipWs(b, i, e) !== e) return BAIL;`,
      `switch (m) { ${finishes.join("\n")} }`,
      `return BAIL;`,
      `}`,
    ];
    this.fns.push(body.join("\n"));
    return "scanEvent";
  }
}

/**
 * The generated scanner of a union plan (`scan`: bytes → event or BAIL; a refinement that throws also
 * gives BAIL) and the bytes decoder around it (`decode`: the scanner within the size limit, else or on
 * BAIL the `general` decoder). Undefined where code generation is unavailable (a strict
 * Content-Security-Policy): then everything takes the general path.
 */
export const generateScanner = (
  plan: UnionPlan,
  general: BytesDecoder,
  defaultMaxBytes: number,
): GeneratedScanner | undefined => {
  try {
    return new ScannerGenerator().build(plan, general, defaultMaxBytes);
  } catch {
    return undefined;
  }
};
