/**
 * The restore Job's script against a real PostgreSQL on this machine: the exact file the Job mounts from its
 * ConfigMap (modules/kubernetes/scripts/restore-medplum-db.sh), fed a pg_dump custom-format archive of a Medplum-like
 * database. Needs initdb, pg_ctl, postgres, psql, pg_dump and pg_restore on PATH: fails in CI without them, skips
 * loudly elsewhere.
 */
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";

const SCRIPT = join(__dirname, "../../modules/kubernetes/scripts/restore-medplum-db.sh");
const BINARIES = ["initdb", "pg_ctl", "postgres", "psql", "pg_dump", "pg_restore"] as const;

function which(binary: string): string | undefined {
  const found = spawnSync("sh", ["-c", `command -v ${binary}`], { encoding: "utf8" });
  return found.status === 0 ? found.stdout.trim() : undefined;
}
const missing = BINARIES.filter((binary) => which(binary) === undefined);
const available = missing.length === 0;

test("PostgreSQL binaries for the restore test are present", () => {
  if (available) return;
  const message = `missing ${missing.join(", ")} on PATH; the real-PostgreSQL restore test cannot run`;
  if (process.env.CI) throw new Error(message);
  console.warn(`SKIPPING restore-script tests: ${message}`);
});

describe.skipIf(!available)("restore-medplum-db.sh against a real PostgreSQL", () => {
  let root: string;
  let port: number;
  /** The server runs as `postgres` when we are root (initdb refuses root), as ourselves otherwise. */
  const asServerUser = (command: string, args: string[]) =>
    userInfo().uid === 0 ? spawnSync("runuser", ["-u", "postgres", "--", which(command)!, ...args], { encoding: "utf8" }) : spawnSync(command, args, { encoding: "utf8" });

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

  function psql(database: string, sql: string, env: NodeJS.ProcessEnv = unlimited()): string {
    const result = spawnSync("psql", ["-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d", database], { input: sql, encoding: "utf8", env });
    if (result.status !== 0) throw new Error(`psql failed on ${database}: ${result.stderr}`);
    return result.stdout.trim();
  }

  function restore(dump: string, extra: Record<string, string> = {}): SpawnSyncReturns<string> {
    return spawnSync("bash", [SCRIPT, dump], { encoding: "utf8", env: environment(extra) });
  }

  const counts = (database: string) =>
    psql(database, `SELECT (SELECT count(*) FROM "Patient") || '/' || (SELECT count(*) FROM "Observation") || '/' || (SELECT count(*) FROM "Binary")`);
  /** Settings as a fresh session sees them: what ALTER DATABASE ... SET gives every new Medplum connection. */
  const settings = (database: string) => psql(database, "SHOW statement_timeout; SHOW default_transaction_isolation;", environment()).split("\n");
  const databaseExists = (database: string) => psql("postgres", `SELECT count(*) FROM pg_database WHERE datname = '${database}'`) === "1";

  const APP_PASSWORD = "correct-horse-battery-staple-4f1c";
  let dump: string;
  let truncated: string;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "medplum-restore-"));
    if (userInfo().uid === 0) {
      const postgres = spawnSync("id", ["-u", "postgres"], { encoding: "utf8" });
      const group = spawnSync("id", ["-g", "postgres"], { encoding: "utf8" });
      chownSync(root, Number(postgres.stdout.trim()), Number(group.stdout.trim()));
    }
    chmodSync(root, 0o755);
    port = await new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => {
        const address = server.address();
        server.close(() => resolve(typeof address === "object" && address !== null ? address.port : 0));
      });
    });

    const initdb = asServerUser("initdb", ["-D", join(root, "data"), "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--no-sync"]);
    if (initdb.status !== 0) throw new Error(`initdb failed: ${initdb.stderr}`);
    // Unix socket in the temp dir only: no TCP listener, nothing shared with other servers on this machine. Every
    // statement is logged, so the password test proves the script keeps the password out of the server log. A 50 ms
    // server-wide statement_timeout stands in for Medplum's 60 s one on a big database: the restore must lift it.
    const start = asServerUser("pg_ctl", ["-D", join(root, "data"), "-l", join(root, "server.log"), "-w", "-o", `-p ${port} -k ${root} -c listen_addresses='' -c fsync=off -c log_statement=all -c statement_timeout=50`, "start"]);
    if (start.status !== 0) throw new Error(`pg_ctl start failed: ${start.stderr}${start.stdout}`);

    // Given a Medplum-like source database: resource tables with jsonb content, indexes and a trusted extension.
    psql("postgres", "CREATE DATABASE source");
    psql(
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
    const pgDump = spawnSync("pg_dump", ["-Fc", "-d", "source", "-f", dump], { encoding: "utf8", env: unlimited() });
    if (pgDump.status !== 0) throw new Error(`pg_dump failed: ${pgDump.stderr}`);

    // A download cut short: the table of contents is intact, the data is not.
    truncated = join(root, "truncated.dump");
    writeFileSync(truncated, "");
    spawnSync("cp", [dump, truncated]);
    truncateSync(truncated, Math.floor(statSync(dump).size * 0.6));
  });

  afterAll(() => {
    if (root === undefined) return;
    if (existsSync(join(root, "data", "postmaster.pid"))) asServerUser("pg_ctl", ["-D", join(root, "data"), "-m", "fast", "-w", "stop"]);
    rmSync(root, { recursive: true, force: true });
  });

  test("restores every row into a fresh database, owned by the application role, with Medplum's settings", () => {
    expect(psql("postgres", "SHOW statement_timeout", environment())).toBe("50ms");
    const result = restore(dump, { MEDPLUM_DB_USER: "medplum", MEDPLUM_DB_PASSWORD: APP_PASSWORD });
    console.log(`first run (exit ${result.status}):\n${result.stdout}${result.stderr}`);

    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/restored database medplum from .*medplum\.dump \(sha256 [0-9a-f]{64}, 3 tables\)/);
    expect(counts("medplum")).toBe("500/3000/40");
    expect(settings("medplum")).toEqual(["1min", "repeatable read"]);
    expect(psql("medplum", `SELECT tableowner FROM pg_tables WHERE tablename = 'Patient'`)).toBe("medplum");
    expect(psql("medplum", `SELECT count(*) FROM pg_indexes WHERE tablename IN ('Patient', 'Observation')`)).toBe("5");
    expect(databaseExists("medplum_restoring")).toBe(false);
  });

  test("never prints or logs the application role's password", () => {
    const again = restore(dump, { MEDPLUM_DB_USER: "medplum", MEDPLUM_DB_PASSWORD: APP_PASSWORD });
    expect(`${again.stdout}${again.stderr}`).not.toContain(APP_PASSWORD);
    const serverLog = spawnSync("cat", [join(root, "server.log")], { encoding: "utf8" }).stdout;
    expect(serverLog).toMatch(/statement: .*CREATE DATABASE "medplum_restoring"/);
    expect(serverLog).not.toContain(APP_PASSWORD);
  });

  test("does nothing on a second run from the same dump, and says so", () => {
    psql("medplum", `INSERT INTO "Binary" VALUES ('00000000-0000-4000-8000-000000000001', '{"resourceType": "Binary"}')`);
    const result = restore(dump, { MEDPLUM_DB_USER: "medplum" });
    console.log(`second run (exit ${result.status}):\n${result.stdout}${result.stderr}`);

    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/nothing to do: database medplum was already restored from this dump/);
    // The row written after the restore survives: the recovered database was not replaced.
    expect(counts("medplum")).toBe("500/3000/41");
    expect(settings("medplum")).toEqual(["1min", "repeatable read"]);
  });

  test("leaves a database restored from another dump alone", () => {
    const other = join(root, "other.dump");
    const pgDump = spawnSync("pg_dump", ["-Fc", "--compress=1", "-d", "source", "-f", other], { encoding: "utf8", env: unlimited() });
    expect(pgDump.status).toBe(0);
    const result = restore(other);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/already restored from another dump .*never replaces a recovered database/s);
    expect(counts("medplum")).toBe("500/3000/41");
  });

  test("refuses a truncated dump with a clear message, before touching the database", () => {
    const result = restore(truncated);
    console.log(`truncated dump (exit ${result.status}):\n${result.stdout}${result.stderr}`);

    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/truncated\.dump is corrupt or truncated: .*Nothing was changed/);
    expect(counts("medplum")).toBe("500/3000/41");

    const fresh = restore(truncated, { MEDPLUM_DB_NAME: "medplum_fresh" });
    expect(fresh.status).toBe(2);
    expect(databaseExists("medplum_fresh")).toBe(false);
    expect(databaseExists("medplum_fresh_restoring")).toBe(false);
  });

  test.each([
    ["a missing dump", () => join(root, "absent.dump"), /absent\.dump does not exist/],
    ["an empty dump", () => writeEmpty(join(root, "empty.dump")), /empty\.dump is empty \(0 bytes\)/],
    ["a file that is not a pg_dump archive", () => writeText(join(root, "notes.dump"), "SELECT 1;\n"), /notes\.dump is not a readable pg_dump archive/],
    ["a dump whose checksum does not match", () => dump, /has SHA-256 [0-9a-f]{64}, expected 0{64}/],
  ])("fails loudly on %s and creates nothing", (name, file, message) => {
    const extra: Record<string, string> = { MEDPLUM_DB_NAME: "medplum_other" };
    if (name.includes("checksum")) extra.DUMP_SHA256 = "0".repeat(64);
    const result = restore(file(), extra);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(databaseExists("medplum_other")).toBe(false);
  });

  test("refuses to restore over a database that already holds tables it did not restore", () => {
    const result = restore(dump, { MEDPLUM_DB_NAME: "source" });
    expect(result.status).toBe(3);
    expect(result.stderr).toMatch(/database source already holds 3 tables but no restore marker/);
  });

  test("replaces an empty pre-created database (e.g. POSTGRES_DB of the image)", () => {
    psql("postgres", "CREATE DATABASE medplum_empty");
    const result = restore(dump, { MEDPLUM_DB_NAME: "medplum_empty" });
    expect(result.status).toBe(0);
    expect(counts("medplum_empty")).toBe("500/3000/40");
  });
});

function writeEmpty(path: string): string {
  writeFileSync(path, "");
  return path;
}

function writeText(path: string, text: string): string {
  writeFileSync(path, text);
  return path;
}
