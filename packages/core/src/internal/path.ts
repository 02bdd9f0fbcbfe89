/** Formats a property path the way DecodeError reports it: `data.position.x`, `extra[0]`, `data["a.b"]`. */
export const formatPath = (path: ReadonlyArray<PropertyKey>): string => {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") {
      out += `[${key}]`;
    } else if (typeof key === "string" && /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key)) {
      out += out === "" ? key : `.${key}`;
    } else {
      out += `[${JSON.stringify(String(key))}]`;
    }
  }
  return out;
};
