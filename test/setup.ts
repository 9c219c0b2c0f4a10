import { Testing } from "cdktf";

// Registers cdktf's toHaveResource* matchers on vitest's expect.
Testing.setupJest();

// cdktf captures a full stack trace for every token it creates, only to print it if the token later fails to resolve:
// a tenth of each synth's CPU. The commands' bundle leaves it out for the same reason (bin/run.js); the tests run
// what the product runs. cdktf's compiled modules read the export at each call, so replacing it here reaches them.
const tokenTraces = require("cdktf/lib/tokens/private/stack-trace") as { captureStackTrace: () => string[] };
tokenTraces.captureStackTrace = () => ["(token creation traces are off in the tests, as in the bundle: bin/run.js)"];
