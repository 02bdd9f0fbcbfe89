// The workspace config, plus: the stack's plain .mjs files are type-checked by tsc (checkJs), which
// knows Node's globals, so ESLint's no-undef (which does not) stays off for them.
import root from "../../eslint.config.js";

export default [...root, { files: ["**/*.mjs"], rules: { "no-undef": "off" } }];
