import { Testing } from "cdktf";

// Registers cdktf's toHaveResource* matchers on vitest's expect.
Testing.setupJest();
