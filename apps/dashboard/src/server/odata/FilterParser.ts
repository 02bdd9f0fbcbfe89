import { badRequest } from "./ODataError.js";

/**
 * A small recursive-descent parser for the part of OData v4's `$filter` grammar the feed supports:
 *
 *   filter     = or
 *   or         = and *( "or" and )
 *   and        = unary *( "and" unary )
 *   unary      = "not" unary / primary
 *   primary    = "(" or ")" / call / operand "in" "(" literal *( "," literal ) ")" / operand op operand
 *   call       = ( "contains" / "startswith" / "endswith" ) "(" ( identifier / fold ) "," string ")"
 *   fold       = ( "tolower" / "toupper" ) "(" identifier ")"
 *   op         = "eq" / "ne" / "gt" / "ge" / "lt" / "le"
 *   operand    = identifier / literal / fold / part / "now" "(" ")"
 *   part       = ( "year" / "month" / "day" / "hour" ) "(" identifier ")"
 *   literal    = string ('it''s') / number / "true" / "false" / "null" / date (2026-01-01) /
 *                dateTimeOffset (2026-01-01T10:00:00Z, 2026-01-01T10:00:00.5+02:00)
 *
 * `now()` is read as the dateTimeOffset literal of the request's time.
 *
 * Precedence as in OData: `not` binds tighter than `and`, which binds tighter than `or`. The result is a plain AST;
 * property names are checked against the entity set later (FilterToMongo), so nothing here reaches MongoDB.
 */

export type CompareOp = "eq" | "ne" | "gt" | "ge" | "lt" | "le";
export type StringFunction = "contains" | "startswith" | "endswith";
/** Functions of one property used as an operand: case folding of strings, parts of a date (UTC). */
export type PropertyFunction = "tolower" | "toupper" | "year" | "month" | "day" | "hour";

export type Literal =
  | { readonly kind: "string"; readonly value: string }
  | { readonly kind: "number"; readonly value: number }
  | { readonly kind: "boolean"; readonly value: boolean }
  | { readonly kind: "null" }
  | { readonly kind: "date"; readonly value: Date }
  | { readonly kind: "dateTimeOffset"; readonly value: Date };

export type Operand =
  | { readonly kind: "property"; readonly name: string; readonly at: number }
  | { readonly kind: "function"; readonly fn: PropertyFunction; readonly name: string; readonly at: number }
  | { readonly kind: "literal"; readonly literal: Literal; readonly at: number };

export type FilterNode =
  | { readonly kind: "and" | "or"; readonly left: FilterNode; readonly right: FilterNode }
  | { readonly kind: "not"; readonly operand: FilterNode }
  | { readonly kind: "compare"; readonly op: CompareOp; readonly left: Operand; readonly right: Operand }
  | {
      readonly kind: "in";
      readonly operand: Operand;
      readonly values: readonly Literal[];
      readonly at: number;
    }
  | {
      readonly kind: "call";
      readonly fn: StringFunction;
      readonly property: string;
      /** `contains(tolower(name),'abc')`: the property case-folded first. */
      readonly fold: "tolower" | "toupper" | null;
      readonly value: string;
      readonly at: number;
    };

/**
 * Bounds on a `$filter`. `maxTextSearch` bounds the text that becomes regular expressions (the values of contains,
 * startswith, endswith and of tolower/toupper comparisons, all together): a regex is matched against every candidate
 * row, and its length, not the filter's, is what makes a query expensive. Measured on the local MongoDB over 12k
 * rows: 200 characters 0.6 s, 1,975 characters 15 to 60 s (it grows with the square of the length).
 */
export const FILTER_LIMITS = { maxLength: 2_000, maxDepth: 16, maxNodes: 100, maxTextSearch: 100 } as const;

type Token =
  | { readonly type: "ident"; readonly text: string; readonly at: number }
  | { readonly type: "literal"; readonly literal: Literal; readonly at: number }
  | { readonly type: "(" | ")" | "," | "end"; readonly at: number };

const COMPARE_OPS: ReadonlySet<string> = new Set(["eq", "ne", "gt", "ge", "lt", "le"]);
const STRING_FUNCTIONS: ReadonlySet<string> = new Set(["contains", "startswith", "endswith"]);
const PROPERTY_FUNCTIONS: ReadonlySet<string> = new Set([
  "tolower",
  "toupper",
  "year",
  "month",
  "day",
  "hour",
]);
const KEYWORDS: ReadonlySet<string> = new Set(["and", "or", "not", "in", ...COMPARE_OPS]);
/** Most values in one `in (…)` list. */
const MAX_IN_VALUES = 100;

const fail = (message: string, at: number) =>
  badRequest("InvalidFilter", `$filter: ${message} at position ${at + 1}`, "$filter");

const DATE = /(\d{4})-(\d{2})-(\d{2})/y;
const TIME = /T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,12}))?)?(Z|[+-]\d{2}:\d{2})/y;
const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const IDENT = /[A-Za-z_][A-Za-z0-9_]*/y;

function match(re: RegExp, text: string, at: number): RegExpExecArray | null {
  re.lastIndex = at;
  return re.exec(text);
}

function validDate(year: number, month: number, day: number): boolean {
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/** A date or dateTimeOffset literal at `at`, or null when the text there is not one. */
function dateLiteral(text: string, at: number): { literal: Literal; end: number } | null {
  const date = match(DATE, text, at);
  if (date === null) return null;
  const [year, month, day] = [Number(date[1]), Number(date[2]), Number(date[3])];
  if (!validDate(year, month, day)) throw fail(`"${date[0]}" is not a valid date`, at);
  const afterDate = at + date[0].length;
  if (text[afterDate] !== "T") {
    return { literal: { kind: "date", value: new Date(Date.UTC(year, month - 1, day)) }, end: afterDate };
  }
  const time = match(TIME, text, afterDate);
  if (time === null) throw fail("invalid time in dateTimeOffset literal", afterDate);
  const [hours, minutes, seconds] = [Number(time[1]), Number(time[2]), Number(time[3] ?? 0)];
  if (hours > 23 || minutes > 59 || seconds > 59)
    throw fail("invalid time in dateTimeOffset literal", afterDate);
  const end = afterDate + time[0].length;
  const ms = Date.parse(text.slice(at, end).replace(/\.(\d{3})\d+/, ".$1"));
  if (Number.isNaN(ms)) throw fail("invalid dateTimeOffset literal", at);
  return { literal: { kind: "dateTimeOffset", value: new Date(ms) }, end };
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < text.length) {
    const c = text[at]!;
    if (c === " " || c === "\t") {
      at += 1;
    } else if (c === "(" || c === ")" || c === ",") {
      tokens.push({ type: c, at });
      at += 1;
    } else if (c === "'") {
      let value = "";
      let i = at + 1;
      for (;;) {
        if (i >= text.length) throw fail("unterminated string literal", at);
        if (text[i] === "'") {
          if (text[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          break;
        }
        value += text[i];
        i += 1;
      }
      tokens.push({ type: "literal", literal: { kind: "string", value }, at });
      at = i + 1;
    } else if (/[0-9-]/.test(c)) {
      const date = dateLiteral(text, at);
      const number = date === null ? match(NUMBER, text, at) : null;
      if (date === null && number === null) throw fail(`unexpected "${c}"`, at);
      const end = date?.end ?? at + number![0].length;
      if (end < text.length && /[A-Za-z0-9_.:]/.test(text[end]!)) throw fail("malformed literal", at);
      if (date !== null) {
        tokens.push({ type: "literal", literal: date.literal, at });
      } else {
        const value = Number(number![0]);
        if (!Number.isFinite(value)) throw fail("number out of range", at);
        tokens.push({ type: "literal", literal: { kind: "number", value }, at });
      }
      at = end;
    } else {
      const ident = match(IDENT, text, at);
      if (ident === null) throw fail(`unexpected "${c}"`, at);
      const word = ident[0];
      if (word === "true" || word === "false") {
        tokens.push({ type: "literal", literal: { kind: "boolean", value: word === "true" }, at });
      } else if (word === "null") {
        tokens.push({ type: "literal", literal: { kind: "null" }, at });
      } else {
        tokens.push({ type: "ident", text: word, at });
      }
      at += word.length;
    }
  }
  tokens.push({ type: "end", at: text.length });
  return tokens;
}

class Parser {
  private index = 0;
  private nodes = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  parse(): FilterNode {
    const node = this.or(0);
    const next = this.peek();
    if (next.type !== "end") throw fail(`unexpected ${describe(next)}`, next.at);
    return node;
  }

  private peek(): Token {
    return this.tokens[this.index]!;
  }

  private take(): Token {
    const token = this.tokens[this.index]!;
    if (token.type !== "end") this.index += 1;
    return token;
  }

  private isWord(word: string): boolean {
    const token = this.peek();
    return token.type === "ident" && token.text === word;
  }

  private expect(type: "(" | ")" | ","): void {
    const token = this.take();
    if (token.type !== type) throw fail(`expected "${type}" but found ${describe(token)}`, token.at);
  }

  private count(depth: number, at: number): void {
    this.nodes += 1;
    if (this.nodes > FILTER_LIMITS.maxNodes) throw fail(`more than ${FILTER_LIMITS.maxNodes} terms`, at);
    if (depth > FILTER_LIMITS.maxDepth) throw fail(`nested deeper than ${FILTER_LIMITS.maxDepth}`, at);
  }

  private or(depth: number): FilterNode {
    let left = this.and(depth);
    while (this.isWord("or")) {
      const at = this.take().at;
      this.count(depth, at);
      left = { kind: "or", left, right: this.and(depth) };
    }
    return left;
  }

  private and(depth: number): FilterNode {
    let left = this.unary(depth);
    while (this.isWord("and")) {
      const at = this.take().at;
      this.count(depth, at);
      left = { kind: "and", left, right: this.unary(depth) };
    }
    return left;
  }

  private unary(depth: number): FilterNode {
    if (this.isWord("not")) {
      const at = this.take().at;
      this.count(depth + 1, at);
      return { kind: "not", operand: this.unary(depth + 1) };
    }
    return this.primary(depth);
  }

  private primary(depth: number): FilterNode {
    const token = this.peek();
    this.count(depth, token.at);
    if (token.type === "(") {
      this.take();
      const inner = this.or(depth + 1);
      this.expect(")");
      return inner;
    }
    if (token.type === "ident" && STRING_FUNCTIONS.has(token.text)) {
      const next = this.tokens[this.index + 1];
      if (next?.type === "(") return this.call();
    }
    const left = this.operand();
    if (this.isWord("in")) return this.inList(left);
    const op = this.take();
    if (op.type !== "ident" || !COMPARE_OPS.has(op.text)) {
      throw fail(`expected a comparison operator (eq, ne, gt, ge, lt, le) but found ${describe(op)}`, op.at);
    }
    const right = this.operand();
    return { kind: "compare", op: op.text as CompareOp, left, right };
  }

  private call(): FilterNode {
    const name = this.take() as Extract<Token, { type: "ident" }>;
    this.expect("(");
    const target = this.take();
    if (target.type !== "ident" || KEYWORDS.has(target.text)) {
      throw fail(`${name.text}() takes a property name first, not ${describe(target)}`, target.at);
    }
    let property = target.text;
    let fold: "tolower" | "toupper" | null = null;
    if ((target.text === "tolower" || target.text === "toupper") && this.peek().type === "(") {
      fold = target.text;
      property = this.functionArgument(target.text, target.at);
    }
    this.expect(",");
    const value = this.take();
    if (value.type !== "literal" || value.literal.kind !== "string") {
      throw fail(`${name.text}() takes a string literal second, not ${describe(value)}`, value.at);
    }
    this.expect(")");
    return {
      kind: "call",
      fn: name.text as StringFunction,
      property,
      fold,
      value: value.literal.value,
      at: name.at,
    };
  }

  private inList(operand: Operand): FilterNode {
    const at = this.take().at;
    this.expect("(");
    const values: Literal[] = [];
    for (;;) {
      const value = this.take();
      if (value.type !== "literal") throw fail(`in (…) takes literals, not ${describe(value)}`, value.at);
      values.push(value.literal);
      if (values.length > MAX_IN_VALUES) throw fail(`more than ${MAX_IN_VALUES} values in in (…)`, value.at);
      const next = this.take();
      if (next.type === ")") break;
      if (next.type !== ",") throw fail(`expected "," or ")" but found ${describe(next)}`, next.at);
    }
    return { kind: "in", operand, values, at };
  }

  /** `(name)` after a function name: its one property argument. */
  private functionArgument(fn: string, at: number): string {
    this.expect("(");
    const argument = this.take();
    if (argument.type !== "ident" || KEYWORDS.has(argument.text) || this.peek().type === "(") {
      throw fail(`${fn}() takes a property name, not ${describe(argument)}`, at);
    }
    this.expect(")");
    return argument.text;
  }

  private operand(): Operand {
    const token = this.take();
    if (token.type === "literal") return { kind: "literal", literal: token.literal, at: token.at };
    if (token.type === "ident" && !KEYWORDS.has(token.text)) {
      if (token.text === "now" && this.peek().type === "(") {
        this.expect("(");
        this.expect(")");
        return { kind: "literal", literal: { kind: "dateTimeOffset", value: new Date() }, at: token.at };
      }
      if (PROPERTY_FUNCTIONS.has(token.text) && this.peek().type === "(") {
        const name = this.functionArgument(token.text, token.at);
        return { kind: "function", fn: token.text as PropertyFunction, name, at: token.at };
      }
      if (this.peek().type === "(") throw fail(`unsupported function "${token.text}"`, token.at);
      return { kind: "property", name: token.text, at: token.at };
    }
    throw fail(`expected a property or a literal but found ${describe(token)}`, token.at);
  }
}

function describe(token: Token): string {
  switch (token.type) {
    case "end":
      return "the end of the expression";
    case "ident":
      return `"${token.text}"`;
    case "literal":
      return `a ${token.literal.kind} literal`;
    default:
      return `"${token.type}"`;
  }
}

/** Parses a `$filter` value into an AST, or throws a 400 ODataError saying where it went wrong. */
export function parseFilter(text: string): FilterNode {
  if (text.length > FILTER_LIMITS.maxLength) {
    throw badRequest(
      "InvalidFilter",
      `$filter is longer than ${FILTER_LIMITS.maxLength} characters`,
      "$filter",
    );
  }
  if (text.trim().length === 0) throw badRequest("InvalidFilter", "$filter is empty", "$filter");
  const tree = new Parser(tokenize(text)).parse();
  if (textSearchLength(tree) > FILTER_LIMITS.maxTextSearch) {
    throw badRequest(
      "FilterTooExpensive",
      `$filter searches more than ${FILTER_LIMITS.maxTextSearch} characters of text in all (contains, startswith, ` +
        "endswith, tolower, toupper): search for a shorter text, or compare with eq",
      "$filter",
    );
  }
  return tree;
}

const isFold = (o: Operand) => o.kind === "function" && (o.fn === "tolower" || o.fn === "toupper");
const stringLength = (o: Operand) =>
  o.kind === "literal" && o.literal.kind === "string" ? o.literal.value.length : 0;

/** Characters of text the filter turns into regular expressions. */
function textSearchLength(node: FilterNode): number {
  switch (node.kind) {
    case "and":
    case "or":
      return textSearchLength(node.left) + textSearchLength(node.right);
    case "not":
      return textSearchLength(node.operand);
    case "call":
      return node.value.length;
    case "compare":
      return isFold(node.left) || isFold(node.right) ? stringLength(node.left) + stringLength(node.right) : 0;
    case "in":
      return 0;
  }
}
