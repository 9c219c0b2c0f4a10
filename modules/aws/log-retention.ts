/**
 * How long every log group of the recovery keeps its events: a year, the usual floor for audit evidence around PHI
 * (HIPAA 164.312(b) audit controls; the policy pack's LogRetention rule). Investigating what happened before, during
 * and after a disaster is exactly when old logs are needed.
 */
export const LOG_RETENTION_DAYS = 365;
