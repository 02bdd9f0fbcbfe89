import { sourceLauncher } from "@gametel/runtime/testing";

/** This app's `main` from source, as the scenarios start it (one child process per processor instance). */
export const kafkajs = sourceLauncher("kafkajs", new URL("..", import.meta.url));
