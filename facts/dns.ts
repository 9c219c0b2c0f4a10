/**
 * How long a resolver may keep the old answer for a record the recovery switches. Resolvers cache a record for its TTL
 * (RFC 1035 section 3.2.1), so after the switch users keep reaching the lost region for up to that long; a minute is
 * what every cloud's DNS accepts and what the plan report's DNS timing assumes. One bound for the config schemas,
 * the policy pack and the report.
 */
export const MAX_CUTOVER_TTL_SECONDS = 60;
