import { processorCliSuite, sourceLauncher } from "@gametel/runtime/testing";

// The command line from source: the shared help, and invalid or missing settings refused in one line (exit 2).
processorCliSuite(sourceLauncher("kafkajs", new URL("..", import.meta.url)));
