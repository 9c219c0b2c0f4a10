/**
 * Medplum's server settings: which `MEDPLUM_*` variables exist per server major version (settings.ts), how the
 * database TLS setting is encoded (database-tls.ts), and the environment every target's servers get
 * (server-environment.ts).
 */
export { DATABASE_SSL_KEYS, databaseSslSetting, jsonSettingValue, readCaBundle, type DatabaseTls } from "./database-tls";
export {
  MEDPLUM_VARIABLES,
  medplumSecretEnvironment,
  medplumServerEnvironment,
  SENSITIVE_MEDPLUM_VARIABLES,
  unknownMedplumVariables,
  type MedplumSecretSources,
  type MedplumServerInputs,
} from "./server-environment";
export {
  majorVersionsFor,
  medplumSettingOf,
  medplumVariable,
  serverMajorVersion,
  SUPPORTED_MAJOR_VERSIONS,
  unknownSettingProblem,
  type MedplumMajorVersion,
  type MedplumSetting,
  type ValueKind,
} from "./settings";
