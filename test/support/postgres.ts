/**
 * A throwaway PostgreSQL server in a test's temporary folder: Unix socket only (no TCP listener, nothing shared with
 * other servers on the machine), fsync off, stopped and deleted by the test. The tests that restore and dump real
 * databases (test/kubernetes) share it.
 */
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";

/** How a test runs a server binary: as `postgres` when the test runs as root (initdb refuses root). */
export type RunAsServerUser = (program: string, args: readonly string[]) => Promise<{ status: number | null; stdout: string; stderr: string }>;

/** A port number no one on this machine listens on now; the server uses it only to name its socket. */
export function freeLoopbackPort(): Promise<number> {
  return new Promise<number>((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === "object" && address !== null ? address.port : 0));
    });
  });
}

export interface ThrowawayServer {
  /** The folder holding the data directory (`data/`), the log (`server.log`) and the socket. */
  readonly root: string;
  readonly port: number;
  readonly asServerUser: RunAsServerUser;
  /** Where initdb and pg_ctl are: the name alone when PATH finds them for the server user. */
  readonly binary: (name: "initdb" | "pg_ctl") => string;
}

/** initdb and start, with `settings` (`name=value`) after the fixed ones; throws with the tool's output on failure. */
export async function startThrowawayServer(server: ThrowawayServer, settings: readonly string[]): Promise<void> {
  const { root, port, asServerUser, binary } = server;
  const initdb = await asServerUser(binary("initdb"), ["-D", join(root, "data"), "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--no-sync"]);
  if (initdb.status !== 0) throw new Error(`initdb failed: ${initdb.stderr}`);
  const options = [`-p ${port} -k ${root} -c listen_addresses='' -c fsync=off`, ...settings.map((setting) => `-c ${setting}`)].join(" ");
  const start = await asServerUser(binary("pg_ctl"), ["-D", join(root, "data"), "-l", join(root, "server.log"), "-w", "-o", options, "start"]);
  if (start.status !== 0) throw new Error(`pg_ctl start failed: ${start.stderr}${start.stdout}`);
}

/** Stops the server if it runs; the caller deletes the folder. */
export async function stopThrowawayServer(server: ThrowawayServer): Promise<void> {
  if (existsSync(join(server.root, "data", "postmaster.pid")))
    await server.asServerUser(server.binary("pg_ctl"), ["-D", join(server.root, "data"), "-m", "fast", "-w", "stop"]);
}
