/**
 * What Medplum's server answers about its own health, read in its source at the two pinned lines (public repository
 * medplum/medplum, tags v4.3.9 and v5.0.10; the files are the same in both for everything below):
 *
 * - `GET /healthcheck` (packages/server/src/healthcheck.ts) runs `SELECT 1` on the writer pool (and the reader pool
 *   when there is one) and `PING` on Redis before it answers; when PostgreSQL or Redis is unreachable the query throws
 *   and the request fails. It says whether the server can serve, not whether the process is alive.
 * - There is no dependency-free HTTP endpoint. `GET /` answers 200 without a query (packages/server/src/app.ts), but
 *   every request first passes the rate limiter, which counts in Redis (packages/server/src/ratelimit.ts,
 *   `RateLimiterRedis`); `/openapi.json` passes it too.
 * - The port opens only once start-up finished: `main` awaits `initApp` (database migrations, seeding, keys) before
 *   `app.listen` (packages/server/src/index.ts). A TCP connect to the port therefore means "started and listening".
 * - A lost database connection does not end the process: the `uncaughtException` handler returns on pg-pool's
 *   "Connection terminated unexpectedly" (packages/server/src/index.ts); later queries get new pool connections once PostgreSQL is back.
 *
 * So a probe that decides whether to restart the server (Kubernetes liveness and startup, an ECS container health
 * check) connects to the port; `/healthcheck` decides only where traffic goes (readiness, load balancer target health).
 * Restarting on `/healthcheck` restarts every server at once when the database fails over, and restarted servers come
 * back only when the database does, which they would have anyway.
 */

/** Medplum's readiness endpoint: answers only when PostgreSQL and Redis do. */
export const MEDPLUM_HEALTHCHECK_PATH = "/healthcheck";

/**
 * HTTP paths whose answer depends on the database or Redis: never the basis of a restart. The API router is mounted
 * at `/` and at `/api/` (packages/server/src/app.ts), so the health check answers on both.
 */
export const DEPENDENCY_CHECKING_HEALTH_PATHS: readonly string[] = [MEDPLUM_HEALTHCHECK_PATH, `/api${MEDPLUM_HEALTHCHECK_PATH}`];
