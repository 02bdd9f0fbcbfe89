import { processorCliSuite, sourceLauncher } from "@gametel/runtime/testing";

// The command line from source: the shared help, and invalid or missing settings refused in one line (exit 2).
processorCliSuite(sourceLauncher("rdkafka", new URL("..", import.meta.url)));
