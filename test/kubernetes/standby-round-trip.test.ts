/**
 * The peacetime backup scripts against a real PostgreSQL on this machine, the exact files the CronJobs mount: a real
 * Medplum database (the shared fixture, or MEDPLUM_DR_TEST_DUMP) is restored into a throwaway primary, dumped by
 * dump-medplum-db.sh to a mounted-path destination (a temp folder), verified by verify-medplum-dump.sh (in its own
 * throwaway server, as the verify CronJob runs it, and against a given server), and restored by restore-medplum-db.sh
 * through the manifest; every table's row count is compared with the fixture's. A corrupted newest dump must fail the
 * verification loudly, and retention must keep what it says.
 *
 * That round trip (dump -> verify -> restore through the manifest -> the fixture's row counts) runs once, on the real
 * fixture. The tests about something else (a given server, corruption, a count mismatch, a failed or cut-short dump,
 * retention, the object stores) use a small database made here with a few Medplum-named tables and ~5 MB of random
 * bytes (enough for several Azure blocks), dumped once and shared: each costs seconds instead of a fixture dump.
 *
 * The recovery side of `dump.manifest` runs here too, as the restore Job runs it: fetch-newest-dump.sh (its init
 * container) reads the manifest in the dump folder (a mounted path, S3 through moto, the GCS and Azure stand-ins
 * through curl), downloads the newest dump
 * and checks its SHA-256 into a scratch folder; restore-medplum-db.sh --manifest loads it. A corrupt dump in the store
 * must fail the fetch loudly, and a re-run with a newer manifest must leave the restored database alone.
 *
 * Needs initdb, pg_ctl, postgres, psql, pg_dump and pg_restore on PATH and the dump: fails in CI without them, skips
 * loudly elsewhere. An S3 upload is run against moto_server when it and the aws CLI are installed (skipped otherwise):
 * it exercises the aws CLI and the curl paths, not AWS's signature checks (moto does not verify signatures).
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage } from "node:http";
import { tmpdir, userInfo } from "node:os";
import { delimiter, join, resolve } from "node:path";
import { backupScriptPath } from "../../modules/kubernetes/standby/backup-cronjobs";
import { fetchScriptPath } from "../../modules/kubernetes/target/restore-job";
import { ROOT, runProcess, type CommandResult } from "../support/cli";
import { findOnPath } from "../support/path";
import { freeLoopbackPort, startThrowawayServer, stopThrowawayServer, type ThrowawayServer } from "../support/postgres";
import { readRowCounts } from "../support/row-counts";

const DUMP_SCRIPT = backupScriptPath("dump-medplum-db.sh");
const VERIFY_SCRIPT = backupScriptPath("verify-medplum-dump.sh");
const RESTORE_SCRIPT = backupScriptPath("restore-medplum-db.sh");
/** What the recovery's restore Job runs in its init container with `dump.manifest`. */
const FETCH_SCRIPT = fetchScriptPath("fetch-newest-dump.sh");
const BINARIES = ["initdb", "pg_ctl", "postgres", "psql", "pg_dump", "pg_restore"] as const;

const which = (binary: string): string | undefined => findOnPath(binary);

const missing = BINARIES.filter((binary) => which(binary) === undefined);
const fromEnvironment = process.env.MEDPLUM_DR_TEST_DUMP?.trim();
const FIXTURE = fromEnvironment ? resolve(fromEnvironment) : resolve(ROOT, "..", "shared", "fixtures", "medplum-5.0.10-pg15.dump");
const ROWCOUNTS = process.env.MEDPLUM_DR_TEST_ROWCOUNTS?.trim() || FIXTURE.replace(/\.dump$/, ".rowcounts");
const problem =
  missing.length > 0
    ? `missing ${missing.join(", ")} on PATH`
    : !existsSync(FIXTURE)
      ? `${FIXTURE} does not exist; put ../shared/fixtures beside the clone or set MEDPLUM_DR_TEST_DUMP to a Medplum pg_dump -Fc archive`
      : !existsSync(ROWCOUNTS)
        ? `${ROWCOUNTS} (the dump's row counts) does not exist`
        : undefined;

test("PostgreSQL and a real Medplum dump for the backup round trip are present", () => {
  if (problem === undefined) return;
  if (process.env.CI) throw new Error(problem);
  console.warn(`SKIPPING the dump/verify/restore round trip: ${problem}`);
});

const sha256 = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");
const DUMP_NAME = /^medplum-\d{8}T\d{6}Z\.dump$/;
const dumpsIn = (folder: string) =>
  readdirSync(folder)
    .filter((name) => DUMP_NAME.test(name))
    .sort();

interface Manifest {
  readonly format: string;
  readonly dump: string;
  readonly sha256: string;
  readonly bytes: number;
  readonly database: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly serverVersion: string;
  readonly tables: number;
  readonly rowCounts: Record<string, number>;
}

/**
 * A small stand-in for Medplum's database: tables named like Medplum's (the row-count test tampers with
 * public.Patient), an empty one, one outside `public`, and ~5 MB of random bytes that compression cannot shrink, so a
 * 1 MiB Azure block size still needs several blocks and a dump cut to 60% is cut inside the data.
 */
const SMALL_DB = "medplum_small";
const SMALL_SQL = `
  CREATE TABLE "Patient" (id uuid PRIMARY KEY, content text NOT NULL, "lastUpdated" timestamptz NOT NULL DEFAULT now());
  INSERT INTO "Patient" (id, content) SELECT gen_random_uuid(), '{"resourceType":"Patient","id":"' || i || '"}' FROM generate_series(1, 25) i;
  CREATE TABLE "Practitioner" (id uuid PRIMARY KEY, content text NOT NULL);
  INSERT INTO "Practitioner" SELECT gen_random_uuid(), '{"resourceType":"Practitioner"}' FROM generate_series(1, 3);
  CREATE TABLE "Observation" (id uuid PRIMARY KEY, subject uuid, code text);
  INSERT INTO "Observation" SELECT gen_random_uuid(), gen_random_uuid(), 'code-' || i FROM generate_series(1, 40) i;
  CREATE TABLE "Login" (id uuid PRIMARY KEY);
  CREATE TABLE "Binary" (id uuid PRIMARY KEY, data bytea NOT NULL);
  INSERT INTO "Binary" SELECT gen_random_uuid(), (SELECT decode(string_agg(md5(random()::text || i || j), ''), 'hex') FROM generate_series(1, 1000) j) FROM generate_series(1, 320) i;
  CREATE SCHEMA audit;
  CREATE TABLE audit.event (id bigint PRIMARY KEY);
  INSERT INTO audit.event SELECT generate_series(1, 7);
`;

describe.skipIf(problem !== undefined)("dump, verify and restore Medplum's database for real", () => {
  const asRoot = userInfo().uid === 0;
  let root: string;
  let port: number;
  let backups: string;
  /** The small database's one shared dump (folder destination), made in beforeAll. */
  let smallBackups: string;
  let postgresIds: { uid: number; gid: number } | undefined;

  /** initdb refuses root: the servers (and the verify job, which starts one) run as `postgres` when we are root. */
  const asServerUser = (program: string, args: readonly string[], env: Record<string, string> = {}) =>
    asRoot
      ? runProcess("runuser", ["-u", "postgres", "--", "env", ...Object.entries(env).map(([name, value]) => `${name}=${value}`), program, ...args])
      : runProcess(program, args, { env });
  const server = (): ThrowawayServer => ({ root, port, asServerUser, binary: (name) => which(name)! });

  /** What a CronJob's container sets: the libpq connection variables and the script's own. */
  const connection = () => ({ PGHOST: root, PGPORT: String(port), PGUSER: "postgres" });
  const dumpTo = (destination: string, extra: Record<string, string> = {}) =>
    runProcess("bash", [DUMP_SCRIPT], { env: { ...connection(), DUMP_DESTINATION: destination, ...extra } });
  /** The small database as the dump job's database: what the non-fixture tests dump. */
  const small = { MEDPLUM_DB_NAME: SMALL_DB };
  const dumpSmallTo = (destination: string, extra: Record<string, string> = {}) => dumpTo(destination, { ...small, ...extra });
  /** As the verify CronJob runs it: its own throwaway server, no connection to the primary. */
  const verifyLocal = (destination: string, extra: Record<string, string> = {}) =>
    asServerUser("bash", [VERIFY_SCRIPT], {
      PATH: process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin",
      DUMP_DESTINATION: destination,
      TMPDIR: join(root, "verify-scratch"),
      ...extra,
    });
  const restoreFromManifest = (manifest: string, extra: Record<string, string> = {}) =>
    runProcess("bash", [RESTORE_SCRIPT, "--manifest", manifest], { env: { ...connection(), ...extra } });

  async function psql(database: string, sql: string): Promise<string> {
    const result = await runProcess("psql", ["-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d", database, "-c", sql], {
      env: { ...connection(), PGOPTIONS: "-c statement_timeout=0" },
    });
    if (result.status !== 0) throw new Error(`psql failed on ${database}: ${result.stderr}`);
    return result.stdout.trim();
  }
  const databaseExists = async (database: string) => (await psql("postgres", `SELECT count(*) FROM pg_database WHERE datname = '${database}'`)) === "1";

  /** Every ordinary table's exact row count, `public.` left off as in the fixture's counts file. */
  async function rowCounts(database: string): Promise<Record<string, number>> {
    const counted = await psql(
      database,
      `SELECT n.nspname || '.' || c.relname || '|' || (xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM %I.%I', n.nspname, c.relname), false, true, '')))[1]::text
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1`,
    );
    return Object.fromEntries(
      counted
        .split("\n")
        .map((line) => line.split("|") as [string, string])
        .map(([table, count]) => [table.replace(/^public\./, ""), Number(count)]),
    );
  }
  const nonEmpty = (counts: Record<string, number>) => Object.fromEntries(Object.entries(counts).filter(([, count]) => count > 0));
  const manifestOf = (folder: string) => JSON.parse(readFileSync(join(folder, "latest.json"), "utf8")) as Manifest;

  /** A copy of the destination folder, readable by the verify job's user. */
  function copyOf(folder: string, name: string): string {
    const copy = join(root, name);
    cpSync(folder, copy, { recursive: true });
    chmodSync(copy, 0o755);
    return copy;
  }

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "medplum-backup-"));
    if (asRoot) {
      const uid = await runProcess("id", ["-u", "postgres"]);
      const gid = await runProcess("id", ["-g", "postgres"]);
      postgresIds = { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
    }
    chmodSync(root, 0o755);
    mkdirSync(join(root, "data"));
    mkdirSync(join(root, "verify-scratch"));
    for (const folder of [root, join(root, "data"), join(root, "verify-scratch")]) {
      if (postgresIds) chownSync(folder, postgresIds.uid, postgresIds.gid);
    }
    backups = join(root, "backups");
    mkdirSync(backups, { mode: 0o755 });

    port = await freeLoopbackPort();
    // Medplum's statement_timeout as a server setting, which pg_dump and the restore must lift.
    await startThrowawayServer(server(), ["statement_timeout=60000"]);

    // The primary: a real Medplum database, restored with the project's own script; the small database beside it,
    // made and dumped meanwhile (independent work, so the two overlap).
    const makeSmall = async () => {
      await psql("postgres", `CREATE DATABASE ${SMALL_DB}`);
      await psql(SMALL_DB, SMALL_SQL);
      smallBackups = join(root, "small-backups");
      mkdirSync(smallBackups, { mode: 0o755 });
      const dumped = await dumpSmallTo(smallBackups);
      if (dumped.status !== 0) throw new Error(`dumping the small database failed: ${dumped.stderr}`);
    };
    const [primary] = await Promise.all([
      runProcess("bash", [RESTORE_SCRIPT, FIXTURE], { env: { ...connection(), MEDPLUM_DB_NAME: "medplum", MEDPLUM_DB_USER: "medplum" } }),
      makeSmall(),
    ]);
    if (primary.status !== 0) throw new Error(`restoring the primary failed: ${primary.stderr}`);
  }, 600_000);

  afterAll(async () => {
    if (root === undefined) return;
    await stopThrowawayServer(server());
    rmSync(root, { recursive: true, force: true });
  });

  test("dumps the primary to the folder: the dump, its .sha256, and a manifest with every table's row count", async () => {
    const result = await dumpTo(backups);
    console.log(`dump (exit ${result.status}):\n${result.stdout}${result.stderr}`);
    expect(result.status).toBe(0);

    const [dump] = dumpsIn(backups);
    expect(dumpsIn(backups)).toHaveLength(1);
    const manifest = manifestOf(backups);
    expect(manifest).toMatchObject({ format: "medplum-dr-dump-manifest/1", dump, database: "medplum", bytes: statSync(join(backups, dump as string)).size });
    expect(manifest.sha256).toBe(sha256(join(backups, dump as string)));
    expect(readFileSync(join(backups, `${dump}.sha256`), "utf8")).toBe(`${manifest.sha256}  ${dump}\n`);
    expect(manifest.serverVersion).toMatch(/^\d+\.\d+/);
    expect(Date.parse(manifest.finishedAt)).toBeGreaterThanOrEqual(Date.parse(manifest.startedAt));
    // The counts recorded at dump time are the fixture's, table for table.
    const recorded = Object.fromEntries(Object.entries(manifest.rowCounts).map(([table, count]) => [table.replace(/^public\./, ""), count]));
    expect(nonEmpty(recorded)).toEqual(readRowCounts(ROWCOUNTS));
    expect(Object.keys(recorded)).toEqual(Object.keys(await rowCounts("medplum")).sort());
    // Nothing half-written is left beside them.
    expect(readdirSync(backups).sort()).toEqual(["latest.json", dump, `${dump}.sha256`].sort());
  }, 600_000);

  /** A webhook receiver on this machine, its URL in a file as the verify CronJob mounts it from a Secret. */
  async function withWebhook<T>(use: (urlFile: string, token: string, posts: { body: string; path: string }[]) => Promise<T>): Promise<T> {
    const posts: { body: string; path: string }[] = [];
    const webhook = createServer((request: IncomingMessage, response) => {
      let body = "";
      request.on("data", (chunk: Buffer) => (body += chunk.toString()));
      request.on("end", () => {
        posts.push({ body, path: request.url ?? "" });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((done) => webhook.listen(0, "127.0.0.1", done));
    const address = webhook.address();
    const token = `T0KEN-${createHash("sha256").update(String(Math.random())).digest("hex").slice(0, 12)}`;
    const urlFile = join(root, `webhook-url-${token}`);
    writeFileSync(urlFile, `http://127.0.0.1:${typeof address === "object" && address !== null ? address.port : 0}/hooks/${token}\n`, { mode: 0o644 });
    try {
      return await use(urlFile, token, posts);
    } finally {
      webhook.close();
    }
  }

  test("verifies the newest dump in its own throwaway server and posts the result to the webhook, never printing its URL", async () => {
    await withWebhook(async (urlFile, token, posts) => {
      const result = await verifyLocal(backups, { VERIFY_WEBHOOK_URL_FILE: urlFile, VERIFY_MAX_AGE_HOURS: "1" });
      console.log(`verify (exit ${result.status}):\n${result.stdout}${result.stderr}`);
      expect(result.status).toBe(0);
      const manifest = manifestOf(backups);
      expect(result.stdout).toContain(`verified ${manifest.dump}: restored with restore-medplum-db.sh, ${manifest.tables} tables`);
      expect(`${result.stdout}${result.stderr}`).not.toContain(token);
      expect(posts).toHaveLength(1);
      expect(posts[0]?.path).toBe(`/hooks/${token}`);
      expect(JSON.parse(posts[0]?.body as string)).toMatchObject({
        status: "passed",
        exitCode: 0,
        dump: manifest.dump,
        sha256: manifest.sha256,
        tables: manifest.tables,
      });
    });
    // The throwaway server and its files are gone.
    expect(readdirSync(join(root, "verify-scratch"))).toEqual([]);
  }, 600_000);

  test("tells the webhook when the verify cannot even start (no manifest at the destination)", async () => {
    const empty = join(root, "no-dumps-yet");
    mkdirSync(empty, { mode: 0o755 });
    await withWebhook(async (urlFile, token, posts) => {
      const missingManifest = await verifyLocal(empty, { VERIFY_WEBHOOK_URL_FILE: urlFile });
      expect(missingManifest.status).toBe(2);
      expect(missingManifest.stderr).toMatch(/ERROR: no manifest latest\.json in .*no-dumps-yet: .*Has the dump job ever completed\?/);
      const badDestination = await verifyLocal("ftp://backups.example.com/medplum", { VERIFY_WEBHOOK_URL_FILE: urlFile });
      expect(badDestination.status).toBe(1);
      expect(badDestination.stderr).toMatch(/DUMP_DESTINATION "ftp:\/\/backups\.example\.com\/medplum" is not a folder path/);
      expect(`${missingManifest.stdout}${missingManifest.stderr}${badDestination.stdout}${badDestination.stderr}`).not.toContain(token);
      expect(posts.map((post) => JSON.parse(post.body))).toMatchObject([
        { status: "failed", exitCode: 2, message: expect.stringContaining("no manifest") },
        { status: "failed", exitCode: 1, message: expect.stringContaining("is not a folder path") },
      ]);
    });
  }, 120_000);

  test("verifies against a given server too, and drops its throwaway database", async () => {
    const result = await runProcess("bash", [VERIFY_SCRIPT], { env: { ...connection(), VERIFY_SERVER: "connect", DUMP_DESTINATION: smallBackups } });
    console.log(`verify on the server (exit ${result.status}):\n${result.stdout}${result.stderr}`);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`verified ${manifestOf(smallBackups).dump}`);
    expect(await databaseExists("medplum_verify")).toBe(false);
    expect(await databaseExists("medplum_verify_restoring")).toBe(false);
  }, 600_000);

  test("restores the newest dump through the manifest, every table with the fixture's row count", async () => {
    const result = await restoreFromManifest(join(backups, "latest.json"), { MEDPLUM_DB_NAME: "medplum_recovered", MEDPLUM_DB_USER: "medplum" });
    console.log(`restore via manifest (exit ${result.status}):\n${result.stdout}${result.stderr}`);
    expect(result.status).toBe(0);
    const manifest = manifestOf(backups);
    expect(result.stdout).toContain(`restored database medplum_recovered from ${join(backups, manifest.dump)} (sha256 ${manifest.sha256}, `);
    const restored = await rowCounts("medplum_recovered");
    expect(Object.keys(restored)).toHaveLength(manifest.tables);
    expect(nonEmpty(restored)).toEqual(readRowCounts(ROWCOUNTS));
  }, 600_000);

  test("fails loudly on a corrupted newest dump, naming the checksum mismatch, and the restore refuses it", async () => {
    const corrupt = copyOf(smallBackups, "corrupt");
    const manifest = manifestOf(corrupt);
    const file = join(corrupt, manifest.dump);
    const bytes = readFileSync(file);
    // Bit rot in the middle of the data: the size stays, the content does not.
    for (let offset = Math.floor(bytes.length / 2); offset < Math.floor(bytes.length / 2) + 16; offset++) bytes[offset] = (bytes[offset] as number) ^ 0xff;
    writeFileSync(file, bytes);

    await withWebhook(async (urlFile, token, posts) => {
      const result = await verifyLocal(corrupt, { VERIFY_WEBHOOK_URL_FILE: urlFile });
      console.log(`verify a corrupt dump (exit ${result.status}):\n${result.stdout}${result.stderr}`);
      expect(result.status).toBe(2);
      expect(result.stderr).toContain(`ERROR: SHA-256 MISMATCH: ${manifest.dump} has sha256 ${sha256(file)}, but latest.json recorded ${manifest.sha256}`);
      expect(result.stdout).not.toContain("verified");
      expect(`${result.stdout}${result.stderr}`).not.toContain(token);
      // The failure reaches the webhook too, with the reason.
      expect(posts).toHaveLength(1);
      expect(JSON.parse(posts[0]?.body as string)).toMatchObject({
        status: "failed",
        exitCode: 2,
        dump: manifest.dump,
        message: expect.stringContaining("SHA-256 MISMATCH"),
      });
    });

    const restore = await restoreFromManifest(join(corrupt, "latest.json"), { MEDPLUM_DB_NAME: "medplum_from_corrupt" });
    expect(restore.status).toBe(2);
    expect(restore.stderr).toMatch(/has SHA-256 [0-9a-f]{64}, expected [0-9a-f]{64}.*Nothing was changed/);
    expect(await databaseExists("medplum_from_corrupt")).toBe(false);
  }, 600_000);

  test("fails when a restored table's row count differs from the count recorded at dump time, naming the table", async () => {
    const tampered = copyOf(smallBackups, "tampered");
    const manifestFile = join(tampered, "latest.json");
    // As if the dump had lost rows the database held: the recorded count is one more than the dump restores.
    const text = readFileSync(manifestFile, "utf8");
    const patients = manifestOf(tampered).rowCounts["public.Patient"] as number;
    const changed = text.replace(`"public.Patient": ${patients},`, `"public.Patient": ${patients + 1},`);
    expect(changed).not.toBe(text);
    writeFileSync(manifestFile, changed);
    const result = await verifyLocal(tampered);
    console.log(`verify with a count mismatch (exit ${result.status}):\n${result.stdout}${result.stderr}`);
    expect(result.status).toBe(4);
    expect(result.stderr).toContain(`MISMATCH: public.Patient: ${patients + 1} rows recorded at dump time, ${patients} restored`);
    expect(result.stderr).toMatch(/ERROR: ROW COUNTS DIFFER in 1 tables/);
  }, 600_000);

  test("leaves the manifest untouched when a dump fails", async () => {
    const before = readFileSync(join(smallBackups, "latest.json"), "utf8");
    const listing = readdirSync(smallBackups).sort();
    const result = await dumpTo(smallBackups, { MEDPLUM_DB_NAME: "no_such_database" });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/cannot connect to PostgreSQL .*database no_such_database/);
    expect(readFileSync(join(smallBackups, "latest.json"), "utf8")).toBe(before);
    expect(readdirSync(smallBackups).sort()).toEqual(listing);
  }, 600_000);

  test("never publishes a dump that cannot be read back whole, even when pg_dump reports success", async () => {
    // A pg_dump whose output is cut short (a full volume, a flaky disk) while it still exits 0.
    const bin = join(root, "short-pg_dump");
    mkdirSync(bin);
    writeFileSync(
      join(bin, "pg_dump"),
      `#!/usr/bin/env bash\nset -e\n"${which("pg_dump")}" "$@"\nfor argument in "$@"; do [[ "$argument" == --file=* ]] && file="\${argument#--file=}"; done\n[[ -z "\${file:-}" ]] || truncate -s $(( $(stat -c %s "$file") * 6 / 10 )) "$file"\n`,
      { mode: 0o755 },
    );
    const before = readFileSync(join(smallBackups, "latest.json"), "utf8");
    const listing = readdirSync(smallBackups).sort();
    const result = await dumpSmallTo(smallBackups, { PATH: `${bin}${delimiter}${process.env.PATH ?? ""}` });
    console.log(`dump cut short (exit ${result.status}):\n${result.stdout}${result.stderr}`);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/the new dump cannot be read back: .*The manifest is unchanged/);
    expect(readFileSync(join(smallBackups, "latest.json"), "utf8")).toBe(before);
    expect(readdirSync(smallBackups).sort()).toEqual(listing);
  }, 600_000);

  test("prunes by count and by age, keeping the newest, the dump's .sha256 with it, and files that are not dumps", async () => {
    const folder = join(root, "retention");
    mkdirSync(folder);
    const [real] = dumpsIn(smallBackups);
    const stamp = (hoursAgo: number) =>
      new Date(Date.now() - hoursAgo * 3_600_000)
        .toISOString()
        .replace(/[-:]/g, "")
        .replace(/\.\d+Z$/, "Z");
    const ages = [1, 2, 30, 24 * 10, 24 * 40];
    const older = ages.map((hours) => `medplum-${stamp(hours)}.dump`);
    for (const name of older) {
      cpSync(join(smallBackups, real as string), join(folder, name));
      writeFileSync(join(folder, `${name}.sha256`), `${sha256(join(folder, name))}  ${name}\n`);
    }
    writeFileSync(join(folder, "README"), "not a dump\n");
    writeFileSync(join(folder, `.medplum-${stamp(3)}.dump.partial`), "left by a run that died\n");

    // By count: the new dump and the two newest older ones.
    const byCount = await dumpSmallTo(folder, { DUMP_RETENTION_COUNT: "3", DUMP_RETENTION_DAYS: "0" });
    console.log(`dump with retention by count (exit ${byCount.status}):\n${byCount.stdout}${byCount.stderr}`);
    expect(byCount.status).toBe(0);
    const newest = manifestOf(folder).dump;
    expect(dumpsIn(folder)).toEqual([older[1], older[0], newest].sort());
    expect(byCount.stdout).toContain("retention: kept 3 dumps (the newest 3), pruned 3");
    for (const name of older.slice(2)) expect(existsSync(join(folder, `${name}.sha256`)), name).toBe(false);
    expect(existsSync(join(folder, `${older[0]}.sha256`))).toBe(true);
    expect(existsSync(join(folder, "README"))).toBe(true);
    expect(readdirSync(folder).filter((name) => name.endsWith(".partial"))).toEqual([]);

    // By age: everything younger than a day (both older ones are hours old), nothing else.
    cpSync(join(smallBackups, real as string), join(folder, older[4] as string));
    const byAge = await new Promise<CommandResult>((done) =>
      setTimeout(() => done(dumpSmallTo(folder, { DUMP_RETENTION_COUNT: "0", DUMP_RETENTION_DAYS: "1" })), 1100),
    );
    expect(byAge.status).toBe(0);
    expect(dumpsIn(folder)).toEqual([older[1], older[0], newest, manifestOf(folder).dump].sort());
    expect(byAge.stdout).toContain("(those younger than 1 days), pruned 1");
  }, 600_000);

  /** What the restore Job does with `dump.manifest`: fetch the newest dump into its scratch folder, then restore it. */
  const fetchNewest = (destination: string, scratch: string, extra: Record<string, string> = {}) =>
    runProcess("bash", [FETCH_SCRIPT, scratch], { env: { DUMP_DESTINATION: destination, ...extra } });
  const scratchFolder = (name: string) => {
    const folder = join(root, name);
    mkdirSync(folder, { mode: 0o777 });
    return folder;
  };

  describe("the recovery's restore Job through the manifest (fetch-newest-dump.sh, then restore-medplum-db.sh --manifest)", () => {
    test("fetches the newest dump of a mounted folder, checks it, and the restore loads every table with the count recorded at dump time", async () => {
      const store = copyOf(smallBackups, "recovery-store");
      const manifest = manifestOf(store);
      const scratch = scratchFolder("recovery-scratch");
      const fetched = await fetchNewest(store, scratch);
      console.log(`fetch from a folder (exit ${fetched.status}):\n${fetched.stdout}${fetched.stderr}`);
      expect(fetched.status).toBe(0);
      expect(fetched.stdout).toContain(`newest dump in ${store}: ${manifest.dump} (sha256 ${manifest.sha256}`);
      expect(fetched.stdout).toContain("checksum matches the manifest");
      // The dump and its manifest, nothing half-written beside them.
      expect(readdirSync(scratch).sort()).toEqual(["latest.json", manifest.dump].sort());
      expect(sha256(join(scratch, manifest.dump))).toBe(manifest.sha256);

      const restored = await restoreFromManifest(join(scratch, "latest.json"), { MEDPLUM_DB_NAME: "medplum_from_newest", MEDPLUM_DB_USER: "medplum" });
      console.log(`restore --manifest (exit ${restored.status}):\n${restored.stdout}${restored.stderr}`);
      expect(restored.status).toBe(0);
      expect(restored.stdout).toContain(`manifest ${join(scratch, "latest.json")} names the newest dump ${manifest.dump} (sha256 ${manifest.sha256})`);
      const counts = await rowCounts("medplum_from_newest");
      const recorded = Object.fromEntries(Object.entries(manifest.rowCounts).map(([table, count]) => [table.replace(/^public\./, ""), count]));
      expect(counts).toEqual(recorded);
      expect(counts.Patient).toBe(25);
    }, 600_000);

    test("a re-run with a newer manifest leaves the restored database alone: the Job's spec does not change, and the restore script refuses", async () => {
      const store = copyOf(smallBackups, "recovery-store-rerun");
      const first = scratchFolder("recovery-scratch-first");
      expect((await fetchNewest(store, first)).status).toBe(0);
      expect((await restoreFromManifest(join(first, "latest.json"), { MEDPLUM_DB_NAME: "medplum_rerun" })).status).toBe(0);
      const before = await rowCounts("medplum_rerun");

      // The primary moves on and the dump job publishes a newer dump: 5 more patients in it.
      await psql(SMALL_DB, `INSERT INTO "Patient" (id, content) SELECT gen_random_uuid(), '{"resourceType":"Patient"}' FROM generate_series(1, 5)`);
      try {
        await new Promise((wait) => setTimeout(wait, 1100));
        const newer = await dumpSmallTo(store);
        expect(newer.status).toBe(0);
        const manifest = manifestOf(store);
        expect(manifest.rowCounts["public.Patient"]).toBe(30);

        // The Job, run again (a deleted Job re-created by Terraform), fetches the newer dump ...
        const second = scratchFolder("recovery-scratch-second");
        const fetched = await fetchNewest(store, second);
        expect(fetched.status).toBe(0);
        expect(fetched.stdout).toContain(manifest.dump);
        // ... and the restore script refuses to replace what it restored before.
        const rerun = await restoreFromManifest(join(second, "latest.json"), { MEDPLUM_DB_NAME: "medplum_rerun" });
        console.log(`restore --manifest again (exit ${rerun.status}):\n${rerun.stdout}${rerun.stderr}`);
        expect(rerun.status).toBe(0);
        expect(rerun.stdout).toContain(`nothing to do: database medplum_rerun was already restored from another dump`);
        expect(await rowCounts("medplum_rerun")).toEqual(before);
        expect(before.Patient).toBe(25);
      } finally {
        await psql(SMALL_DB, `DELETE FROM "Patient" WHERE content = '{"resourceType":"Patient"}'`);
      }
    }, 600_000);

    test("fails loudly when the dump in the store is not the one the manifest recorded, and leaves nothing for the restore", async () => {
      const store = copyOf(smallBackups, "recovery-store-corrupt");
      const manifest = manifestOf(store);
      const file = join(store, manifest.dump);
      const bytes = readFileSync(file);
      for (let offset = Math.floor(bytes.length / 3); offset < Math.floor(bytes.length / 3) + 16; offset++) bytes[offset] = (bytes[offset] as number) ^ 0xff;
      writeFileSync(file, bytes);

      const scratch = scratchFolder("recovery-scratch-corrupt");
      const fetched = await fetchNewest(store, scratch);
      console.log(`fetch a corrupt dump (exit ${fetched.status}):\n${fetched.stdout}${fetched.stderr}`);
      expect(fetched.status).toBe(4);
      expect(fetched.stderr).toContain(
        `ERROR: SHA-256 MISMATCH: ${manifest.dump} from ${store} has sha256 ${sha256(file)}, but latest.json recorded ${manifest.sha256} at dump time`,
      );
      // No manifest, no dump: the restore container has nothing it could mistake for a good download.
      expect(readdirSync(scratch)).toEqual([]);
      const restore = await restoreFromManifest(join(scratch, "latest.json"), { MEDPLUM_DB_NAME: "medplum_from_bad_fetch" });
      expect(restore.status).toBe(2);
      expect(restore.stderr).toContain("is not a readable file; has the dump job ever completed? Nothing was changed.");
      expect(await databaseExists("medplum_from_bad_fetch")).toBe(false);
    }, 600_000);

    test("fails naming the folder when it holds no manifest", async () => {
      const empty = scratchFolder("recovery-store-empty");
      const scratch = scratchFolder("recovery-scratch-empty");
      const fetched = await fetchNewest(empty, scratch);
      expect(fetched.status).toBe(2);
      expect(fetched.stderr).toContain(`ERROR: no manifest latest.json in ${empty}`);
      expect(fetched.stderr).toContain("Has the standby's dump job ever completed there?");
      expect(readdirSync(scratch)).toEqual([]);
    }, 600_000);
  });

  /** A local HTTP server standing in for a cloud API; its handler answers from an in-memory object store. */
  async function standIn(handler: (request: IncomingMessage, body: Buffer) => { status: number; body?: string | Buffer; type?: string }) {
    const seen: string[] = [];
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        seen.push(`${request.method} ${request.url}`);
        const answer = handler(request, Buffer.concat(chunks));
        response.writeHead(answer.status, { "Content-Type": answer.type ?? "application/octet-stream" }).end(answer.body ?? "");
      });
    });
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    const address = server.address();
    return { url: `127.0.0.1:${typeof address === "object" && address !== null ? address.port : 0}`, seen, close: () => server.close() };
  }

  /**
   * The curl paths to GCS and Azure Blob against stand-ins that implement the documented calls the scripts make
   * (GCS JSON API media upload, list, get, delete and the metadata server's token; Azure Put Blob, Put Block, Put Block
   * List, List Blobs, Get Blob, Delete Blob) and refuse a request without the credential. They prove the scripts make
   * those calls as documented and keep the credential out of the log, not that Google or Microsoft accept them.
   */
  test("dumps to Azure Blob through curl (blocks for a big dump), prunes, and the verify downloads and checks it", async () => {
    const blobs = new Map<string, Buffer>();
    const blocks = new Map<string, Buffer>();
    const sas = "sv=2022-11-02&ss=b&srt=co&sp=rwdlac&sig=fAkE%2Bsignature%3D";
    const azure = await standIn((request, body) => {
      const url = new URL(request.url ?? "/", "http://stand-in");
      if (url.searchParams.get("sig") !== "fAkE+signature=") return { status: 403 };
      if (request.headers["x-ms-version"] === undefined) return { status: 400 };
      const [, container, ...rest] = url.pathname.split("/");
      if (container !== "dumps") return { status: 404 };
      const blob = decodeURIComponent(rest.join("/"));
      const comp = url.searchParams.get("comp");
      if (request.method === "GET" && url.searchParams.get("restype") === "container" && comp === "list") {
        const prefix = url.searchParams.get("prefix") ?? "";
        const names = [...blobs.keys()].filter((name) => name.startsWith(prefix) && !name.slice(prefix.length).includes("/"));
        return {
          status: 200,
          type: "application/xml",
          body: `<?xml version="1.0" encoding="utf-8"?><EnumerationResults ContainerName="dumps"><Prefix>${prefix}</Prefix><Blobs>${names.map((name) => `<Blob><Name>${name}</Name><Properties><Content-Length>${blobs.get(name)?.length}</Content-Length></Properties></Blob>`).join("")}</Blobs><NextMarker /></EnumerationResults>`,
        };
      }
      if (request.method === "PUT" && comp === "block") {
        blocks.set(`${blob} ${url.searchParams.get("blockid")}`, body);
        return { status: 201 };
      }
      if (request.method === "PUT" && comp === "blocklist") {
        const ids = [...body.toString().matchAll(/<Latest>([^<]+)<\/Latest>/g)].map((match) => match[1]);
        if (ids.some((id) => !blocks.has(`${blob} ${id}`))) return { status: 400 };
        blobs.set(blob, Buffer.concat(ids.map((id) => blocks.get(`${blob} ${id}`) as Buffer)));
        return { status: 201 };
      }
      if (request.method === "PUT") {
        if (request.headers["x-ms-blob-type"] !== "BlockBlob") return { status: 400 };
        blobs.set(blob, body);
        return { status: 201 };
      }
      if (request.method === "GET") return blobs.has(blob) ? { status: 200, body: blobs.get(blob) } : { status: 404 };
      if (request.method === "DELETE") return blobs.delete(blob) ? { status: 202 } : { status: 404 };
      return { status: 405 };
    });
    try {
      const sasFile = join(root, "azure-sas");
      writeFileSync(sasFile, `?${sas}\n`);
      const environment = {
        DUMP_DESTINATION: "https://medplumdr.blob.core.windows.net/dumps/medplum",
        AZURE_BLOB_ENDPOINT: `http://${azure.url}`,
        AZURE_SAS_TOKEN_FILE: sasFile,
        // 1 MiB blocks: the small database's ~5 MB dump goes up as Put Block + Put Block List.
        AZURE_BLOCK_MIB: "1",
        DUMP_RETENTION_COUNT: "1",
        ...small,
      };
      const first = await runProcess("bash", [DUMP_SCRIPT], { env: { ...connection(), ...environment } });
      console.log(`dump to Azure Blob (exit ${first.status}):\n${first.stdout}${first.stderr}`);
      expect(first.status).toBe(0);
      expect(azure.seen.filter((line) => line.includes("comp=block&")).length).toBeGreaterThanOrEqual(4);
      await new Promise((wait) => setTimeout(wait, 1100));
      const second = await runProcess("bash", [DUMP_SCRIPT], { env: { ...connection(), ...environment } });
      expect(second.status).toBe(0);
      expect(second.stdout).toContain("pruned 1");
      const dumps = [...blobs.keys()].filter((name) => /^medplum\/medplum-\d{8}T\d{6}Z\.dump$/.test(name));
      expect(dumps).toHaveLength(1);
      const manifest = JSON.parse((blobs.get("medplum/latest.json") as Buffer).toString()) as Manifest;
      expect(`medplum/${manifest.dump}`).toBe(dumps[0]);
      expect(
        createHash("sha256")
          .update(blobs.get(dumps[0] as string) as Buffer)
          .digest("hex"),
      ).toBe(manifest.sha256);

      const verify = await runProcess("bash", [VERIFY_SCRIPT], { env: { ...connection(), ...environment, VERIFY_SERVER: "connect" } });
      console.log(`verify from Azure Blob (exit ${verify.status}):\n${verify.stdout}${verify.stderr}`);
      expect(verify.status).toBe(0);
      expect(verify.stdout).toContain(`verified ${manifest.dump}`);
      expect(`${first.stdout}${first.stderr}${second.stdout}${second.stderr}${verify.stdout}${verify.stderr}`).not.toContain("signature");

      // The recovery's restore Job reads the same container through the manifest.
      const scratch = scratchFolder("recovery-scratch-azure");
      const fetched = await fetchNewest(environment.DUMP_DESTINATION, scratch, environment);
      console.log(`fetch from Azure Blob (exit ${fetched.status}):\n${fetched.stdout}${fetched.stderr}`);
      expect(fetched.status).toBe(0);
      expect(sha256(join(scratch, manifest.dump))).toBe(manifest.sha256);
      expect(`${fetched.stdout}${fetched.stderr}`).not.toContain("signature");
    } finally {
      azure.close();
    }
  }, 600_000);

  test("dumps to GCS through curl with a workload-identity token, prunes, and the verify downloads and checks it", async () => {
    const objects = new Map<string, Buffer>();
    const token = "ya29.stand-in-token-4b1d";
    const gcs = await standIn((request, body) => {
      const url = new URL(request.url ?? "/", "http://stand-in");
      if (url.pathname === "/computeMetadata/v1/instance/service-accounts/default/token") {
        return request.headers["metadata-flavor"] === "Google"
          ? { status: 200, type: "application/json", body: JSON.stringify({ access_token: token, expires_in: 3599, token_type: "Bearer" }) }
          : { status: 403 };
      }
      if (request.headers.authorization !== `Bearer ${token}`) return { status: 401 };
      if (request.method === "POST" && url.pathname === "/upload/storage/v1/b/medplum-dumps/o" && url.searchParams.get("uploadType") === "media") {
        const name = url.searchParams.get("name") as string;
        objects.set(name, body);
        return { status: 200, type: "application/json", body: JSON.stringify({ kind: "storage#object", name, bucket: "medplum-dumps" }) };
      }
      if (request.method === "GET" && url.pathname === "/storage/v1/b/medplum-dumps/o") {
        const prefix = url.searchParams.get("prefix") ?? "";
        const items = [...objects.keys()].filter((name) => name.startsWith(prefix) && !name.slice(prefix.length).includes("/")).map((name) => ({ name }));
        return { status: 200, type: "application/json", body: JSON.stringify(items.length > 0 ? { items } : {}) };
      }
      const object = /^\/storage\/v1\/b\/medplum-dumps\/o\/(.+)$/.exec(url.pathname);
      const name = object ? decodeURIComponent(object[1] as string) : "";
      if (object && request.method === "GET" && url.searchParams.get("alt") === "media")
        return objects.has(name) ? { status: 200, body: objects.get(name) } : { status: 404 };
      if (object && request.method === "DELETE") return objects.delete(name) ? { status: 204 } : { status: 404 };
      return { status: 400 };
    });
    try {
      const environment = {
        DUMP_DESTINATION: "gs://medplum-dumps/pg",
        DUMP_STORE_TOOL: "curl",
        GCE_METADATA_HOST: gcs.url,
        STORAGE_EMULATOR_HOST: `http://${gcs.url}`,
        DUMP_RETENTION_COUNT: "1",
        ...small,
      };
      const first = await runProcess("bash", [DUMP_SCRIPT], { env: { ...connection(), ...environment } });
      console.log(`dump to GCS (exit ${first.status}):\n${first.stdout}${first.stderr}`);
      expect(first.status).toBe(0);
      await new Promise((wait) => setTimeout(wait, 1100));
      const second = await runProcess("bash", [DUMP_SCRIPT], { env: { ...connection(), ...environment } });
      expect(second.status).toBe(0);
      expect(second.stdout).toContain("pruned 1");
      const dumps = [...objects.keys()].filter((name) => /^pg\/medplum-\d{8}T\d{6}Z\.dump$/.test(name));
      expect(dumps).toHaveLength(1);
      expect(objects.has(`${dumps[0]}.sha256`)).toBe(true);
      const manifest = JSON.parse((objects.get("pg/latest.json") as Buffer).toString()) as Manifest;
      expect(
        createHash("sha256")
          .update(objects.get(dumps[0] as string) as Buffer)
          .digest("hex"),
      ).toBe(manifest.sha256);

      const verify = await runProcess("bash", [VERIFY_SCRIPT], { env: { ...connection(), ...environment, VERIFY_SERVER: "connect" } });
      console.log(`verify from GCS (exit ${verify.status}):\n${verify.stdout}${verify.stderr}`);
      expect(verify.status).toBe(0);
      expect(`${first.stdout}${first.stderr}${second.stdout}${second.stderr}${verify.stdout}${verify.stderr}`).not.toContain(token);

      const scratch = scratchFolder("recovery-scratch-gcs");
      const fetched = await fetchNewest(environment.DUMP_DESTINATION, scratch, environment);
      console.log(`fetch from GCS (exit ${fetched.status}):\n${fetched.stdout}${fetched.stderr}`);
      expect(fetched.status).toBe(0);
      expect(sha256(join(scratch, manifest.dump))).toBe(manifest.sha256);
      expect(`${fetched.stdout}${fetched.stderr}`).not.toContain(token);
    } finally {
      gcs.close();
    }
  }, 600_000);

  const moto = which("moto_server");
  const aws = which("aws");
  describe.skipIf(moto === undefined || aws === undefined)("to S3 (moto_server standing in for S3)", () => {
    let endpoint: string;
    let stop: (() => void) | undefined;
    const s3 = { AWS_ACCESS_KEY_ID: "testing", AWS_SECRET_ACCESS_KEY: "testing-secret", AWS_REGION: "us-east-1", AWS_DEFAULT_REGION: "us-east-1" };

    beforeAll(async () => {
      const motoPort = await freeLoopbackPort();
      endpoint = `http://127.0.0.1:${motoPort}`;
      const child = spawn(moto as string, ["-H", "127.0.0.1", "-p", String(motoPort)], { stdio: "ignore" });
      stop = () => child.kill("SIGTERM");
      for (let attempt = 0; attempt < 100; attempt++) {
        const ready = await runProcess("curl", ["--silent", "--fail", "--output", "/dev/null", `${endpoint}/`]);
        if (ready.status === 0) break;
        await new Promise((wait) => setTimeout(wait, 200));
      }
      const bucket = await runProcess(aws as string, ["--endpoint-url", endpoint, "s3api", "create-bucket", "--bucket", "medplum-dumps"], { env: s3 });
      if (bucket.status !== 0) throw new Error(`create-bucket failed: ${bucket.stderr}`);
    }, 120_000);
    afterAll(() => stop?.());

    test.each([
      ["the aws CLI", process.env.PATH ?? ""],
      // The same PATH without the aws CLI: the script falls back to curl --aws-sigv4.
      [
        "curl",
        (process.env.PATH ?? "")
          .split(delimiter)
          .filter((folder) => !existsSync(join(folder, "aws")))
          .join(delimiter),
      ],
    ])(
      "uploads the dump, its checksum and the manifest through %s, and the verify downloads and checks them",
      async (tool, path) => {
        const prefix = tool === "curl" ? "curl" : "cli";
        const destination = `s3://medplum-dumps/${prefix}`;
        const environment = { ...s3, ...small, S3_ENDPOINT: endpoint, PATH: path, DUMP_RETENTION_COUNT: "1" };
        const first = await dumpTo(destination, environment);
        console.log(`dump to S3 via ${tool} (exit ${first.status}):\n${first.stdout}${first.stderr}`);
        expect(first.status).toBe(0);
        expect(first.stdout).toContain(`via ${tool === "curl" ? "curl" : "aws"}`);
        await new Promise((wait) => setTimeout(wait, 1100));
        const second = await dumpTo(destination, environment);
        expect(second.status).toBe(0);
        expect(second.stdout).toContain("pruned 1");

        const listing = await runProcess(aws as string, ["--endpoint-url", endpoint, "s3", "ls", `s3://medplum-dumps/${prefix}/`], { env: s3 });
        const names = listing.stdout
          .split("\n")
          .filter((line) => line.trim() !== "")
          .map((line) => line.trim().split(/\s+/).pop());
        expect(names.filter((name) => DUMP_NAME.test(name as string))).toHaveLength(1);
        expect(names).toContain("latest.json");

        const verify = await runProcess("bash", [VERIFY_SCRIPT], {
          env: { ...connection(), ...environment, VERIFY_SERVER: "connect", DUMP_DESTINATION: destination },
        });
        console.log(`verify from S3 via ${tool} (exit ${verify.status}):\n${verify.stdout}${verify.stderr}`);
        expect(verify.status).toBe(0);
        expect(`${first.stdout}${first.stderr}${verify.stdout}${verify.stderr}`).not.toContain(s3.AWS_SECRET_ACCESS_KEY);
      },
      600_000,
    );

    test.each([
      ["the aws CLI", process.env.PATH ?? ""],
      [
        "curl",
        (process.env.PATH ?? "")
          .split(delimiter)
          .filter((folder) => !existsSync(join(folder, "aws")))
          .join(delimiter),
      ],
    ])(
      "the restore Job's fetch reads the manifest and the newest dump from S3 through %s, and the restore loads it",
      async (tool, path) => {
        const destination = `s3://medplum-dumps/recovery-${tool === "curl" ? "curl" : "cli"}`;
        const environment = { ...s3, S3_ENDPOINT: endpoint, PATH: path };
        const dumped = await dumpSmallTo(destination, { ...environment, DUMP_RETENTION_COUNT: "2" });
        expect(dumped.status).toBe(0);
        const scratch = scratchFolder(`recovery-scratch-s3-${tool === "curl" ? "curl" : "cli"}`);
        const fetched = await fetchNewest(destination, scratch, environment);
        console.log(`fetch from S3 via ${tool} (exit ${fetched.status}):\n${fetched.stdout}${fetched.stderr}`);
        expect(fetched.status).toBe(0);
        expect(fetched.stdout).toContain(`via ${tool === "curl" ? "curl" : "aws"}`);
        const manifest = manifestOf(scratch);
        expect(sha256(join(scratch, manifest.dump))).toBe(manifest.sha256);
        const database = `medplum_from_s3_${tool === "curl" ? "curl" : "cli"}`;
        const restored = await restoreFromManifest(join(scratch, "latest.json"), { MEDPLUM_DB_NAME: database });
        expect(restored.status).toBe(0);
        expect((await rowCounts(database)).Patient).toBe(25);
        expect(`${fetched.stdout}${fetched.stderr}`).not.toContain(s3.AWS_SECRET_ACCESS_KEY);
      },
      600_000,
    );
  });
});
