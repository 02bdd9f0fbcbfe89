export { createKafkajsEngine, type KafkajsEngineOptions } from "./KafkajsEngine.js";
