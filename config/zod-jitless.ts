/**
 * Imported first by each command's entry point: a process parses each config once, and zod's JIT (object parsers
 * compiled with `new Function` when a schema is built) costs more to build than it saves on one parse, ~40 ms of a
 * synth on a 2-core machine. zod reads the setting when a schema is constructed, so it must run before any schema
 * module loads. Validation is the same either way (https://zod.dev/api, "jitless").
 */
import { z } from "zod";

z.config({ jitless: true });
