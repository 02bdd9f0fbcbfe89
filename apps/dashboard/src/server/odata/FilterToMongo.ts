import type { Filter, Document } from "mongodb";
import type { EntityProperty, EntitySetSpec } from "./EntitySets.js";
import { property } from "./EntitySets.js";
import type { CompareOp, FilterNode, Literal, Operand, PropertyFunction } from "./FilterParser.js";
import { badRequest } from "./ODataError.js";

/**
 * Translates a parsed `$filter` into a MongoDB filter. Safe by construction: field paths come from the entity set's
 * whitelist (never from the request), operators from the fixed table below, and values are typed primitives
 * (string, number, Date, boolean, null) checked against the property's type, so a string can never become an
 * operator or a document.
 */

const MONGO_OPS: Readonly<Record<CompareOp, "$eq" | "$ne" | "$gt" | "$gte" | "$lt" | "$lte">> = {
  eq: "$eq",
  ne: "$ne",
  gt: "$gt",
  ge: "$gte",
  lt: "$lt",
  le: "$lte",
};

/** `5 lt kills` is `kills gt 5`. */
const FLIPPED: Readonly<Record<CompareOp, CompareOp>> = {
  eq: "eq",
  ne: "ne",
  gt: "lt",
  ge: "le",
  lt: "gt",
  le: "ge",
};

type Primitive = string | number | Date | null;

const invalid = (message: string) => badRequest("InvalidFilter", `$filter: ${message}`, "$filter");

function resolve(set: EntitySetSpec, name: string): EntityProperty {
  const found = property(set, name);
  if (found === undefined) {
    throw badRequest(
      "UnknownProperty",
      `$filter: "${name}" is not a property of ${set.name}; properties: ${set.properties.map((p) => p.name).join(", ")}`,
      "$filter",
    );
  }
  return found;
}

/** The literal as a value of the property's type, or a 400. */
function typedValue(prop: EntityProperty, literal: Literal): Primitive {
  if (literal.kind === "null") return null;
  switch (prop.type) {
    case "Edm.String":
      if (literal.kind === "string") return literal.value;
      break;
    case "Edm.Int64":
    case "Edm.Double":
      if (literal.kind === "number") return literal.value;
      break;
    case "Edm.DateTimeOffset":
      if (literal.kind === "dateTimeOffset" || literal.kind === "date")
        return new Date(literal.value.getTime());
      break;
  }
  throw invalid(`${prop.name} is ${prop.type} and cannot be compared with a ${literal.kind} literal`);
}

function comparison(set: EntitySetSpec, op: CompareOp, left: Operand, right: Operand): Filter<Document> {
  let subject: Exclude<Operand, { kind: "literal" }>;
  let literal: Literal;
  let effective = op;
  if (left.kind !== "literal" && right.kind === "literal") {
    subject = left;
    literal = right.literal;
  } else if (left.kind === "literal" && right.kind !== "literal") {
    subject = right;
    literal = left.literal;
    effective = FLIPPED[op];
  } else if (left.kind !== "literal") {
    throw invalid("comparing two properties is not supported; compare a property with a literal");
  } else {
    throw invalid("a comparison needs a property on one side");
  }
  const prop = resolve(set, subject.name);
  if (subject.kind === "function") return functionComparison(prop, subject.fn, effective, literal);
  const value = typedValue(prop, literal);
  if (value === null && effective !== "eq" && effective !== "ne") {
    throw invalid(`null can only be compared with eq or ne (${prop.name} ${op} null)`);
  }
  return { [prop.path]: { [MONGO_OPS[effective]]: value } };
}

/** No document: the answer to a condition that can never hold (e.g. tolower(name) eq 'ABC'). */
const NOTHING: Filter<Document> = { _id: { $in: [] } };

const DATE_PARTS = { year: "$year", month: "$month", day: "$dayOfMonth", hour: "$hour" } as const;

/**
 * `tolower(p) eq 'abc'` as a case-insensitive match of the whole value; `year(p) ge 2026` (month, day, hour) as a
 * comparison of that UTC part in `$expr` (a find filter: still only find and count reach MongoDB).
 */
function functionComparison(prop: EntityProperty, fn: PropertyFunction, op: CompareOp, literal: Literal) {
  if (fn === "tolower" || fn === "toupper") {
    if (prop.type !== "Edm.String")
      throw invalid(`${fn}() needs a string property; ${prop.name} is ${prop.type}`);
    if (literal.kind !== "string") throw invalid(`${fn}(${prop.name}) can only be compared with a string`);
    if (op !== "eq" && op !== "ne") throw invalid(`${fn}(${prop.name}) can only be compared with eq or ne`);
    const folded = fn === "tolower" ? literal.value.toLowerCase() : literal.value.toUpperCase();
    const match: Filter<Document> =
      folded === literal.value
        ? { [prop.path]: { $regex: `^${escapeRegex(literal.value)}$`, $options: "i" } }
        : NOTHING;
    return op === "eq" ? match : { $nor: [match] };
  }
  if (prop.type !== "Edm.DateTimeOffset") {
    throw invalid(`${fn}() needs a date property; ${prop.name} is ${prop.type}`);
  }
  if (literal.kind !== "number" || !Number.isInteger(literal.value)) {
    throw invalid(`${fn}(${prop.name}) can only be compared with an integer`);
  }
  return { $expr: { [MONGO_OPS[op]]: [{ [DATE_PARTS[fn]]: `$${prop.path}` }, literal.value] } };
}

function inList(set: EntitySetSpec, node: Extract<FilterNode, { kind: "in" }>): Filter<Document> {
  if (node.operand.kind !== "property") throw invalid("in (…) needs a property on its left");
  const prop = resolve(set, node.operand.name);
  return { [prop.path]: { $in: node.values.map((literal) => typedValue(prop, literal)) } };
}

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");

function call(set: EntitySetSpec, node: Extract<FilterNode, { kind: "call" }>): Filter<Document> {
  const prop = resolve(set, node.property);
  if (prop.type !== "Edm.String")
    throw invalid(`${node.fn}() needs a string property; ${prop.name} is ${prop.type}`);
  const body = escapeRegex(node.value);
  const pattern = node.fn === "startswith" ? `^${body}` : node.fn === "endswith" ? `${body}$` : body;
  if (node.fold === null) return { [prop.path]: { $regex: pattern } };
  // contains(tolower(name),'abc'): what Power Query folds a case-insensitive Text.Contains into.
  const folded = node.fold === "tolower" ? node.value.toLowerCase() : node.value.toUpperCase();
  return folded === node.value ? { [prop.path]: { $regex: pattern, $options: "i" } } : NOTHING;
}

/** The MongoDB filter for a parsed `$filter` on one entity set. */
export function filterToMongo(set: EntitySetSpec, node: FilterNode): Filter<Document> {
  switch (node.kind) {
    case "and":
      return { $and: [filterToMongo(set, node.left), filterToMongo(set, node.right)] };
    case "or":
      return { $or: [filterToMongo(set, node.left), filterToMongo(set, node.right)] };
    case "not":
      return { $nor: [filterToMongo(set, node.operand)] };
    case "compare":
      return comparison(set, node.op, node.left, node.right);
    case "call":
      return call(set, node);
    case "in":
      return inList(set, node);
  }
}
