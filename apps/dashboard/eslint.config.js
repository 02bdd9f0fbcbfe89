// The workspace config, plus: the small .mjs scripts (start, dev, ensure-chromium) run on Node, whose globals
// ESLint's no-undef does not know.
import root from "../../eslint.config.js";

export default [...root, { files: ["**/*.mjs"], rules: { "no-undef": "off" } }];
