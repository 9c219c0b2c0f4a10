/**
 * The restore Job's script against a real PostgreSQL on this machine: the exact file the Job mounts from its
 * ConfigMap (modules/kubernetes/scripts/restore-medplum-db.sh), fed a pg_dump custom-format archive of a Medplum-like
 * database, then a dump of a real Medplum database (Medplum's whole schema). Needs initdb, pg_ctl, postgres, psql,
 * pg_dump and pg_restore on PATH: fails in CI without them, skips loudly elsewhere.
 *
 * The real Medplum dump is test data kept outside the repository: `../shared/fixtures/medplum-5.0.10-pg15.dump` beside
 * the clone (always there in CI), or a team's own Medplum dump named by MEDPLUM_DR_TEST_DUMP, with its row counts in
 * MEDPLUM_DR_TEST_ROWCOUNTS (default: the dump's name with `.rowcounts` for `.dump`; lines `<table> <count>` for every
 * non-empty table) and optionally its SHA-256 in `<dump>.sha256`. Without one the test says so and skips; under CI it
 * fails.
 *
 * Every PostgreSQL command runs asynchronously: a restore of Medplum's schema takes minutes, and a vitest worker whose
 * event loop is blocked that long loses its link to the runner.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync,
  chownSync,
  copyFileSync,
  cpSync,
  createReadStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join, resolve } from "node:path";
import { findOnPath } from "../support/path";
import { freeLoopbackPort, startThrowawayServer, stopThrowawayServer, type ThrowawayServer } from "../support/postgres";
import { readRowCounts } from "../support/row-counts";

const ROOT = join(__dirname, "../..");
const SCRIPT = join(ROOT, "modules/kubernetes/scripts/restore-medplum-db.sh");
const BINARIES = ["initdb", "pg_ctl", "postgres", "psql", "pg_dump", "pg_restore"] as const;

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to completion without blocking the event loop; never rejects on a non-zero exit. */
function run(command: string, args: readonly string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Run> {
  return new Promise((done) => {
    const child = spawn(command, args, { env: options.env ?? process.env, stdio: [options.input === undefined ? "ignore" : "pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", (error) => done({ status: null, stdout, stderr: `${stderr}${error.message}` }));
    child.on("close", (status) => done({ status, stdout, stderr }));
    if (child.stdin) {
      // A command that exits before reading all its input (psql that cannot connect) reports that through its status.
      child.stdin.on("error", () => undefined);
      child.stdin.end(options.input);
    }
  });
}

const which = (binary: string): string | undefined => findOnPath(binary);

const missing = BINARIES.filter((binary) => which(binary) === undefined);
const available = missing.length === 0;

test("PostgreSQL binaries for the restore test are present", () => {
  if (available) return;
  const message = `missing ${missing.join(", ")} on PATH; the real-PostgreSQL restore test cannot run`;
  if (process.env.CI) throw new Error(message);
  console.warn(`SKIPPING restore-script tests: ${message}`);
});

/** The real Medplum dump to restore, and what a complete restore holds. */
interface MedplumDump {
  readonly dump: string;
  readonly rowcounts: string;
  /** The `.sha256` file beside the dump, when there is one. */
  readonly sha256File?: string;
  /** The table count the dump's README states (the shared fixture only). */
  readonly expectedTables?: number;
}

const SHARED_DUMP = resolve(ROOT, "..", "shared", "fixtures", "medplum-5.0.10-pg15.dump");

function findMedplumDump(): MedplumDump | string {
  const fromEnvironment = process.env.MEDPLUM_DR_TEST_DUMP?.trim();
  const dump = fromEnvironment ? resolve(fromEnvironment) : SHARED_DUMP;
  const origin = fromEnvironment ? `MEDPLUM_DR_TEST_DUMP (${dump})` : `the shared fixture ${dump}`;
  if (!existsSync(dump)) {
    return `${origin} does not exist; put ../shared/fixtures beside the clone or set MEDPLUM_DR_TEST_DUMP to a Medplum pg_dump -Fc archive`;
  }
  const rowcounts = resolve(process.env.MEDPLUM_DR_TEST_ROWCOUNTS?.trim() || dump.replace(/(\.dump)?$/, ".rowcounts"));
  if (!existsSync(rowcounts)) return `no row counts for ${origin}: ${rowcounts} does not exist (set MEDPLUM_DR_TEST_ROWCOUNTS)`;
  const sha256File = `${dump}.sha256`;
  if (!fromEnvironment && !existsSync(sha256File)) return `the shared fixture has no ${sha256File}`;
  return { dump, rowcounts, ...(existsSync(sha256File) ? { sha256File } : {}), ...(fromEnvironment ? {} : { expectedTables: 497 }) };
}
const medplumDump = findMedplumDump();

test("a real Medplum dump for the full-schema restore test is present", () => {
  if (typeof medplumDump !== "string") return;
  if (process.env.CI) throw new Error(medplumDump);
  console.warn(`SKIPPING the real Medplum dump restore: ${medplumDump}`);
});

describe.skipIf(!available)("restore-medplum-db.sh against a real PostgreSQL", () => {
  let root: string;
  let port: number;
  /** The server runs as `postgres` when we are root (initdb refuses root), as ourselves otherwise. */
  const asServerUser = (command: string, args: readonly string[]) =>
    userInfo().uid === 0 ? run("runuser", ["-u", "postgres", "--", which(command)!, ...args]) : run(command, args);
  const server = (): ThrowawayServer => ({ root, port, asServerUser, binary: (name) => name });

  /** The script's environment: libpq connection variables only, so it must bring its own session settings. */
  const environment = (extra: Record<string, string> = {}) => ({
    PATH: process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin",
    PGHOST: root,
    PGPORT: String(port),
    PGUSER: "postgres",
    ...extra,
  });
  /** The test's own sessions lift the server's tiny statement_timeout (see beforeAll). */
  const unlimited = () => environment({ PGOPTIONS: "-c statement_timeout=0" });

  async function psql(database: string, sql: string, env: NodeJS.ProcessEnv = unlimited()): Promise<string> {
    const result = await run("psql", ["-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d", database], { input: sql, env });
    if (result.status !== 0) throw new Error(`psql failed on ${database}: ${result.stderr}`);
    return result.stdout.trim();
  }

  const restore = (dump: string, extra: Record<string, string> = {}) => run("bash", [SCRIPT, dump], { env: environment(extra) });

  const counts = (database: string) =>
    psql(database, `SELECT (SELECT count(*) FROM "Patient") || '/' || (SELECT count(*) FROM "Observation") || '/' || (SELECT count(*) FROM "Binary")`);
  /** Settings as a fresh session sees them: what ALTER DATABASE ... SET gives every new Medplum connection. */
  const settings = async (database: string) => (await psql(database, "SHOW statement_timeout; SHOW default_transaction_isolation;", environment())).split("\n");
  const databaseExists = async (database: string) => (await psql("postgres", `SELECT count(*) FROM pg_database WHERE datname = '${database}'`)) === "1";

  const APP_PASSWORD = "correct-horse-battery-staple-4f1c";
  let dump: string;
  let truncated: string;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "medplum-restore-"));
    if (userInfo().uid === 0) {
      const postgres = await run("id", ["-u", "postgres"]);
      const group = await run("id", ["-g", "postgres"]);
      chownSync(root, Number(postgres.stdout.trim()), Number(group.stdout.trim()));
    }
    chmodSync(root, 0o755);
    port = await freeLoopbackPort();
    // Every statement is logged, so the password test proves the script keeps the password out of the server log. A
    // 50 ms server-wide statement_timeout stands in for Medplum's 60 s one on a big database: the restore must lift it.
    await startThrowawayServer(server(), ["log_statement=all", "statement_timeout=50"]);

    // Given a Medplum-like source database: resource tables with jsonb content, indexes and a trusted extension.
    await psql("postgres", "CREATE DATABASE source");
    await psql(
      "source",
      `
      CREATE EXTENSION pg_trgm;
      CREATE TABLE "Patient" (id uuid PRIMARY KEY, content jsonb NOT NULL, "lastUpdated" timestamptz NOT NULL, name text);
      CREATE INDEX "Patient_name_trgm_idx" ON "Patient" USING gin (name gin_trgm_ops);
      CREATE INDEX "Patient_lastUpdated_idx" ON "Patient" ("lastUpdated");
      CREATE TABLE "Observation" (id uuid PRIMARY KEY, content jsonb NOT NULL, subject text NOT NULL);
      CREATE INDEX "Observation_subject_idx" ON "Observation" (subject);
      CREATE TABLE "Binary" (id uuid PRIMARY KEY, content jsonb NOT NULL);
      INSERT INTO "Patient" SELECT md5('p' || i)::uuid, jsonb_build_object('resourceType', 'Patient', 'name', 'Name ' || i), '2026-11-20T08:00:00Z', 'Name ' || i FROM generate_series(1, 500) i;
      INSERT INTO "Observation" SELECT md5('o' || i)::uuid, jsonb_build_object('resourceType', 'Observation', 'valueInteger', i), 'Patient/' || md5('p' || (i % 500 + 1))::uuid FROM generate_series(1, 3000) i;
      INSERT INTO "Binary" SELECT md5('b' || i)::uuid, jsonb_build_object('resourceType', 'Binary', 'contentType', 'application/pdf') FROM generate_series(1, 40) i;
      `,
    );
    dump = join(root, "medplum.dump");
    const pgDump = await run("pg_dump", ["-Fc", "-d", "source", "-f", dump], { env: unlimited() });
    if (pgDump.status !== 0) throw new Error(`pg_dump failed: ${pgDump.stderr}`);

    // A download cut short: the table of contents is intact, the data is not.
    truncated = join(root, "truncated.dump");
    copyFileSync(dump, truncated);
    truncateSync(truncated, Math.floor(statSync(dump).size * 0.6));
  });

  afterAll(async () => {
    if (root === undefined) return;
    await stopThrowawayServer(server());
    rmSync(root, { recursive: true, force: true });
  });

  test("restores every row into a fresh database, owned by the application role, with Medplum's settings", async () => {
    expect(await psql("postgres", "SHOW statement_timeout", environment())).toBe("50ms");
    const result = await restore(dump, { MEDPLUM_DB_USER: "medplum", MEDPLUM_DB_PASSWORD: APP_PASSWORD });
    console.log(`first run (exit ${result.status}):\n${result.stdout}${result.stderr}`);

    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/restored database medplum from .*medplum\.dump \(sha256 [0-9a-f]{64}, 3 tables\)/);
    expect(await counts("medplum")).toBe("500/3000/40");
    expect(await settings("medplum")).toEqual(["1min", "repeatable read"]);
    expect(await psql("medplum", `SELECT tableowner FROM pg_tables WHERE tablename = 'Patient'`)).toBe("medplum");
    expect(await psql("medplum", `SELECT count(*) FROM pg_indexes WHERE tablename IN ('Patient', 'Observation')`)).toBe("5");
    expect(await databaseExists("medplum_restoring")).toBe(false);
  });

  test("never prints or logs the application role's password", async () => {
    const again = await restore(dump, { MEDPLUM_DB_USER: "medplum", MEDPLUM_DB_PASSWORD: APP_PASSWORD });
    expect(`${again.stdout}${again.stderr}`).not.toContain(APP_PASSWORD);
    const serverLog = readFileSync(join(root, "server.log"), "utf8");
    expect(serverLog).toMatch(/statement: .*CREATE DATABASE "medplum_restoring"/);
    expect(serverLog).not.toContain(APP_PASSWORD);
  });

  test("does nothing on a second run from the same dump, and says so", async () => {
    await psql("medplum", `INSERT INTO "Binary" VALUES ('00000000-0000-4000-8000-000000000001', '{"resourceType": "Binary"}')`);
    const result = await restore(dump, { MEDPLUM_DB_USER: "medplum" });
    console.log(`second run (exit ${result.status}):\n${result.stdout}${result.stderr}`);

    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/nothing to do: database medplum was already restored from this dump/);
    // The row written after the restore survives: the recovered database was not replaced.
    expect(await counts("medplum")).toBe("500/3000/41");
    expect(await settings("medplum")).toEqual(["1min", "repeatable read"]);
  });

  test("leaves a database restored from another dump alone", async () => {
    const other = join(root, "other.dump");
    const pgDump = await run("pg_dump", ["-Fc", "--compress=1", "-d", "source", "-f", other], { env: unlimited() });
    expect(pgDump.status).toBe(0);
    const result = await restore(other);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/already restored from another dump .*never replaces a recovered database/s);
    expect(await counts("medplum")).toBe("500/3000/41");
  });

  test("refuses a truncated dump with a clear message, before touching the database", async () => {
    const result = await restore(truncated);
    console.log(`truncated dump (exit ${result.status}):\n${result.stdout}${result.stderr}`);

    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/truncated\.dump is corrupt or truncated: .*Nothing was changed/);
    expect(await counts("medplum")).toBe("500/3000/41");

    const fresh = await restore(truncated, { MEDPLUM_DB_NAME: "medplum_fresh" });
    expect(fresh.status).toBe(2);
    expect(await databaseExists("medplum_fresh")).toBe(false);
    expect(await databaseExists("medplum_fresh_restoring")).toBe(false);
  });

  test.each([
    ["a missing dump", () => join(root, "absent.dump"), /absent\.dump does not exist/],
    ["an empty dump", () => writeEmpty(join(root, "empty.dump")), /empty\.dump is empty \(0 bytes\)/],
    ["a file that is not a pg_dump archive", () => writeText(join(root, "notes.dump"), "SELECT 1;\n"), /notes\.dump is not a readable pg_dump archive/],
    ["a dump whose checksum does not match", () => dump, /has SHA-256 [0-9a-f]{64}, expected 0{64}/],
  ])("fails loudly on %s and creates nothing", async (name, file, message) => {
    const extra: Record<string, string> = { MEDPLUM_DB_NAME: "medplum_other" };
    if (name.includes("checksum")) extra.DUMP_SHA256 = "0".repeat(64);
    const result = await restore(file(), extra);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(await databaseExists("medplum_other")).toBe(false);
  });

  test("refuses to restore over a database that already holds tables it did not restore", async () => {
    const result = await restore(dump, { MEDPLUM_DB_NAME: "source" });
    expect(result.status).toBe(3);
    expect(result.stderr).toMatch(/database source already holds 3 tables but no restore marker/);
  });

  test("replaces an empty pre-created database (e.g. POSTGRES_DB of the image)", async () => {
    await psql("postgres", "CREATE DATABASE medplum_empty");
    const result = await restore(dump, { MEDPLUM_DB_NAME: "medplum_empty" });
    expect(result.status).toBe(0);
    expect(await counts("medplum_empty")).toBe("500/3000/40");
  });

  describe("--manifest: the newest dump named by the peacetime dump job's manifest", () => {
    const DUMP_SCRIPT = join(ROOT, "modules/kubernetes/scripts/dump-medplum-db.sh");
    let backups: string;
    const manifestOf = (folder: string) => JSON.parse(readFileSync(join(folder, "latest.json"), "utf8")) as { dump: string; sha256: string };
    const restoreFromManifest = (manifest: string, extra: Record<string, string> = {}) =>
      run("bash", [SCRIPT, "--manifest", manifest], { env: environment(extra) });

    beforeAll(async () => {
      // The manifest as the dump job writes it: the real producer, not a hand-written imitation.
      backups = join(root, "backups");
      mkdirSync(backups);
      const dumped = await run("bash", [DUMP_SCRIPT], { env: environment({ MEDPLUM_DB_NAME: "source", DUMP_DESTINATION: backups }) });
      if (dumped.status !== 0) throw new Error(`dump-medplum-db.sh failed: ${dumped.stderr}`);
    });

    test("restores the dump the manifest names, checked against the SHA-256 it recorded", async () => {
      const { dump: newest, sha256 } = manifestOf(backups);
      expect(await sha256Of(join(backups, newest))).toBe(sha256);
      const result = await restoreFromManifest(join(backups, "latest.json"), { MEDPLUM_DB_NAME: "medplum_manifest", MEDPLUM_DB_USER: "medplum" });
      expect(result.status, result.stderr).toBe(0);
      expect(result.stdout).toContain(`names the newest dump ${newest} (sha256 ${sha256})`);
      expect(result.stdout).toContain(`restored database medplum_manifest from ${join(backups, newest)} (sha256 ${sha256}, 3 tables)`);
      expect(await counts("medplum_manifest")).toBe("500/3000/40");
    });

    test("refuses a dump whose bytes differ from the manifest's SHA-256, and creates nothing", async () => {
      const corrupt = join(root, "backups-corrupt");
      cpSync(backups, corrupt, { recursive: true });
      const file = join(corrupt, manifestOf(corrupt).dump);
      const bytes = readFileSync(file);
      bytes[Math.floor(bytes.length / 2)] = (bytes[Math.floor(bytes.length / 2)] as number) ^ 0xff;
      writeFileSync(file, bytes);
      const result = await restoreFromManifest(join(corrupt, "latest.json"), { MEDPLUM_DB_NAME: "medplum_corrupt" });
      expect(result.status).toBe(2);
      expect(result.stderr).toContain(`has SHA-256 ${await sha256Of(file)}, expected ${manifestOf(corrupt).sha256}`);
      expect(await databaseExists("medplum_corrupt")).toBe(false);
    });

    test.each([
      [
        "DUMP_SHA256 names another dump than the manifest",
        () => join(backups, "latest.json"),
        { DUMP_SHA256: "f".repeat(64) },
        /DUMP_SHA256 f{64} differs from the SHA-256 [0-9a-f]{64} that .*latest\.json records/,
      ],
      [
        "the manifest does not exist",
        () => join(root, "absent", "latest.json"),
        {},
        /manifest .*absent\/latest\.json is not a readable file; has the dump job ever completed/,
      ],
      [
        "the file is not a dump manifest",
        () => writeText(join(root, "other.json"), '{"dump": "x"}\n'),
        {},
        /other\.json is not a medplum-dr-dump-manifest\/1 manifest/,
      ],
    ])("fails loudly when %s, and creates nothing", async (_name, manifest, extra, message) => {
      const result = await restoreFromManifest(manifest(), { MEDPLUM_DB_NAME: "medplum_refused", ...extra });
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(await databaseExists("medplum_refused")).toBe(false);
    });
  });

  test.skipIf(typeof medplumDump === "string")(
    "restores a real Medplum database (its whole schema) with every table's exact row count",
    async () => {
      const { dump: real, rowcounts, sha256File, expectedTables } = medplumDump as MedplumDump;
      const checksum = await sha256Of(real);
      // The value the restore Job is given, from the .sha256 file beside the dump.
      const published = sha256File === undefined ? checksum : readFileSync(sha256File, "utf8").trim().split(/\s+/)[0];
      if (sha256File !== undefined) expect(checksum, sha256File).toBe(published);
      const toc = await run("pg_restore", ["--list", real]);
      expect(toc.status).toBe(0);
      // "<id>; <oid> <oid> TABLE <schema> <name> <owner>"; TABLE DATA entries are the tables' rows.
      const dumpedTables = toc.stdout.split("\n").filter((line) => / TABLE (?!DATA )\S+ \S+ /.test(line)).length;
      if (expectedTables !== undefined) expect(dumpedTables).toBe(expectedTables);

      const result = await restore(real, { MEDPLUM_DB_NAME: "medplum_real", MEDPLUM_DB_USER: "medplum", DUMP_SHA256: published as string });
      console.log(`real Medplum dump (exit ${result.status}):\n${result.stdout}${result.stderr}`);
      expect(result.status).toBe(0);
      expect(result.stdout).toContain(`restored database medplum_real from ${real} (sha256 ${checksum}, `);

      const tables = (
        await psql(
          "medplum_real",
          "SELECT schemaname || '.' || tablename FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1",
        )
      )
        .split("\n")
        .filter((line) => line !== "");
      expect(tables).toHaveLength(dumpedTables);
      const counted = await psql(
        "medplum_real",
        tables
          .map(
            (table) =>
              `SELECT '${table.replace(/'/g, "''")}', count(*) FROM ${table
                .split(".")
                .map((part) => `"${part.replace(/"/g, '""')}"`)
                .join(".")}`,
          )
          .join("\nUNION ALL\n"),
      );
      const actual = Object.fromEntries(
        counted
          .split("\n")
          .map((line) => line.split("|") as [string, string])
          .map(([table, count]) => [table.replace(/^public\./, ""), Number(count)]),
      );
      const expected = readRowCounts(rowcounts);
      // Every table the counts file names holds exactly that many rows; every other table is empty.
      expect(Object.keys(expected).filter((table) => !(table in actual))).toEqual([]);
      expect(Object.fromEntries(Object.entries(actual).filter(([, count]) => count > 0))).toEqual(expected);
      expect(await settings("medplum_real")).toEqual(["1min", "repeatable read"]);
      expect(await psql("medplum_real", `SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner <> 'medplum'`)).toBe("0");
    },
    1_800_000,
  );
});

function sha256Of(file: string): Promise<string> {
  return new Promise((done, fail) => {
    const hash = createHash("sha256");
    createReadStream(file)
      .on("data", (chunk) => hash.update(chunk))
      .on("error", fail)
      .on("end", () => done(hash.digest("hex")));
  });
}

function writeEmpty(path: string): string {
  writeFileSync(path, "");
  return path;
}

function writeText(path: string, text: string): string {
  writeFileSync(path, text);
  return path;
}
