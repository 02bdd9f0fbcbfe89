import { kafkaBrokers, mongoUri } from "@gametel/devstack";
import { processorMainSuite } from "@gametel/runtime/testing";
import { kafkajs } from "./support.js";

// The app as an operator runs it: `--exit-when-caught-up` exits 0 once the group has no lag, SIGTERM stops cleanly.
processorMainSuite({ launcher: kafkajs, brokers: kafkaBrokers(), mongoUri: mongoUri() });
