export { createRdkafkaEngine, type RdkafkaEngineOptions } from "./RdkafkaEngine.js";
