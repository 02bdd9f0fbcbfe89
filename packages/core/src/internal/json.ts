/** Validating readers for StateCodec.decode: each throws StateCodecError with the path of the bad value. */
import { StateCodecError, type JsonValue } from "../Reducer.js";

type Obj = { readonly [key: string]: JsonValue };

export const obj = (v: JsonValue | undefined, path: string): Obj => {
  if (typeof v !== "object" || v === null || Array.isArray(v))
    throw new StateCodecError(path, "expected an object");
  return v as Obj;
};

export const arr = (v: JsonValue | undefined, path: string): ReadonlyArray<JsonValue> => {
  if (!Array.isArray(v)) throw new StateCodecError(path, "expected an array");
  return v as ReadonlyArray<JsonValue>;
};

export const num = (v: JsonValue | undefined, path: string): number => {
  if (typeof v !== "number" || !Number.isFinite(v))
    throw new StateCodecError(path, "expected a finite number");
  return v;
};

export const count = (v: JsonValue | undefined, path: string): number => {
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) {
    throw new StateCodecError(path, "expected a non-negative integer");
  }
  return v;
};

export const int = (v: JsonValue | undefined, path: string): number => {
  if (typeof v !== "number" || !Number.isSafeInteger(v))
    throw new StateCodecError(path, "expected an integer");
  return v;
};

export const str = (v: JsonValue | undefined, path: string): string => {
  if (typeof v !== "string") throw new StateCodecError(path, "expected a string");
  return v;
};

export const nullable =
  <A>(read: (v: JsonValue | undefined, path: string) => A) =>
  (v: JsonValue | undefined, path: string): A | null =>
    v === null ? null : read(v, path);

/** Reads the field `key` of an encoded object with `read`. */
export const field = <A>(
  o: Obj,
  key: string,
  path: string,
  read: (v: JsonValue | undefined, path: string) => A,
): A => read(o[key], path === "" ? key : `${path}.${key}`);

/** Checks the `v` (format version) field of an encoded state. */
export const version = (o: Obj, path: string, expected: number): void => {
  if (o["v"] !== expected)
    throw new StateCodecError(path === "" ? "v" : `${path}.v`, `expected format version ${expected}`);
};
