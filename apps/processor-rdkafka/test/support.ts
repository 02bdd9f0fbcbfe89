import { sourceLauncher } from "@gametel/runtime/testing";

/** This app's `main` from source, as the scenarios start it (one child process per processor instance). */
export const rdkafka = sourceLauncher("rdkafka", new URL("..", import.meta.url));
