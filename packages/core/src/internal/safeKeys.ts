/**
 * MongoDB operator-injection guard: finds the first object key, at any depth, that starts with `$` or
 * contains `.`. Iterative so that deeply nested input cannot overflow the stack.
 */
export interface UnsafeKey {
  readonly path: ReadonlyArray<PropertyKey>;
  readonly key: string;
}

/** The reason reported for an unsafe key. */
export const UNSAFE_KEY_MESSAGE = "key must not start with '$' or contain '.'";

export const isUnsafeKey = (key: string): boolean => key.charCodeAt(0) === 36 || key.indexOf(".") !== -1;

export const findUnsafeKey = (root: unknown): UnsafeKey | undefined => {
  if (typeof root !== "object" || root === null) return undefined;
  const stack: Array<{ readonly value: object; readonly path: ReadonlyArray<PropertyKey> }> = [
    { value: root, path: [] },
  ];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) {
        const item: unknown = value[i];
        if (typeof item === "object" && item !== null) stack.push({ value: item, path: [...path, i] });
      }
      continue;
    }
    const keys = Object.keys(value);
    const nested: Array<{ readonly value: object; readonly path: ReadonlyArray<PropertyKey> }> = [];
    for (const key of keys) {
      if (isUnsafeKey(key)) return { path: [...path, key], key };
      const item: unknown = (value as Record<string, unknown>)[key];
      if (typeof item === "object" && item !== null) nested.push({ value: item, path: [...path, key] });
    }
    for (let i = nested.length - 1; i >= 0; i--) stack.push(nested[i]!);
  }
  return undefined;
};

/** Fast check used by the hot path: true when no key anywhere is unsafe (no allocation for flat objects). */
export const hasOnlySafeKeys = (value: object): boolean => {
  if (Array.isArray(value)) {
    for (const item of value as unknown[]) {
      if (typeof item === "object" && item !== null && !hasOnlySafeKeysBounded(item, 1)) return false;
    }
    return true;
  }
  return hasOnlySafeKeysBounded(value, 0);
};

const MAX_RECURSION = 64;

const hasOnlySafeKeysBounded = (value: object, depth: number): boolean => {
  if (depth > MAX_RECURSION) return findUnsafeKey(value) === undefined;
  if (Array.isArray(value)) {
    for (const item of value as unknown[]) {
      if (typeof item === "object" && item !== null && !hasOnlySafeKeysBounded(item, depth + 1)) return false;
    }
    return true;
  }
  for (const key in value) {
    if (isUnsafeKey(key)) return false;
    const item: unknown = (value as Record<string, unknown>)[key];
    if (typeof item === "object" && item !== null && !hasOnlySafeKeysBounded(item, depth + 1)) return false;
  }
  return true;
};
