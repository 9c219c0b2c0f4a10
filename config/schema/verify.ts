/**
 * `verify`: how `npm run verify` checks a recovered (or drill) Medplum over its public API, and which client
 * credentials it (and `npm run redeploy-bots`) uses. Only the names of the environment variables holding the
 * credentials live here, never their values: the config is committed.
 */
import { z } from "zod";

/** A FHIR R4 resource type name as Medplum's URL routes take it (`Patient`, `DocumentReference`). */
const resourceType = z.string().regex(/^[A-Z][A-Za-z]{1,63}$/, "is not a FHIR resource type name such as Patient or DocumentReference");

/** Portable environment variable names (POSIX: letters, digits, underscore, not starting with a digit). */
const environmentVariableName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, "is not an environment variable name such as MEDPLUM_CLIENT_ID");

/**
 * Types whose newest `meta.lastUpdated` measures the RPO: the ones clinical work writes to all day. Login, AuditEvent
 * and other server-written types are left out on purpose: the recovered server (and verify's own token request, which
 * creates a Login) writes them after the disaster, which would hide the data loss.
 */
export const DEFAULT_RPO_RESOURCE_TYPES = [
  "Patient",
  "Encounter",
  "Observation",
  "Condition",
  "DiagnosticReport",
  "DocumentReference",
  "MedicationRequest",
  "ServiceRequest",
  "Appointment",
  "Communication",
  "QuestionnaireResponse",
  "Task",
] as const;

const canary = z.strictObject({
  /** Shown in the check's line, e.g. "MRN 000001". @default the search itself */
  name: z.string().min(1).max(80).optional(),
  /**
   * A FHIR search relative to `fhir/R4/` that must match at least one resource, e.g.
   * `Patient?identifier=https://acme.example/mrn|000001`.
   */
  search: z
    .string()
    .regex(
      /^[A-Z][A-Za-z]{1,63}\?[^\s#]+$/,
      "is not a FHIR search such as Patient?identifier=https://acme.example/mrn|000001 (a resource type, ?, parameters; no spaces)",
    ),
});

export const verifyConfig = z.strictObject({
  /**
   * Resource types searched for the newest write (`_sort=-_lastUpdated&_count=1`); measured RPO = `--at` minus the
   * newest `meta.lastUpdated` found at or before it.
   * @default Patient, Encounter, Observation, Condition, DiagnosticReport, DocumentReference, MedicationRequest, ServiceRequest, Appointment, Communication, QuestionnaireResponse, Task
   */
  rpoResourceTypes: z
    .array(resourceType)
    .min(1, "must name at least one resource type")
    .max(50)
    .default([...DEFAULT_RPO_RESOURCE_TYPES]),
  /** Searches that must each find at least one resource. @default [] */
  canaries: z.array(canary).max(50).default([]),
  /**
   * The Binary read back through Medplum to prove binary storage in the recovery location is reachable and replicated.
   * @default - the newest Binary written at or before `--at`
   */
  binaryId: z
    .string()
    .regex(/^[A-Za-z0-9\-.]{1,64}$/, "is not a FHIR resource id (1-64 letters, digits, - and .)")
    .optional(),
  /**
   * Where the ClientApplication's id and secret come from: the names of two environment variables. Give the client a
   * project admin membership so it can read every type above and redeploy Bots.
   */
  credentials: z
    .strictObject({
      /** @default MEDPLUM_CLIENT_ID */
      clientIdEnv: environmentVariableName.default("MEDPLUM_CLIENT_ID"),
      /** @default MEDPLUM_CLIENT_SECRET */
      clientSecretEnv: environmentVariableName.default("MEDPLUM_CLIENT_SECRET"),
    })
    .prefault({}),
  /** Each HTTP request gives up after this long. @default 15 */
  requestTimeoutSeconds: z.number().int().min(1).max(300).default(15),
});

export type VerifyConfig = z.infer<typeof verifyConfig>;
