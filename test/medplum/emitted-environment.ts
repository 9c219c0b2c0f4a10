/**
 * What a synthesized stack tells the Medplum servers, read from the JSON Terraform would apply: the ECS task's
 * `environment` and `secrets`, or the Deployment's ConfigMap (`env_from`) and `env` entries. Nothing here asks the
 * modules what they meant to emit.
 */
export interface EmittedVariable {
  readonly name: string;
  /** The plain value as synthesized (a literal, or a Terraform `${...}` expression); undefined for a secret. */
  readonly value?: string;
  /** Where a sensitive value comes from (ECS `valueFrom`, or `<Secret>/<key>`). */
  readonly secret?: string;
}

export interface ServerEnvironment {
  /** Where the environment was found, for messages. */
  readonly where: string;
  readonly variables: readonly EmittedVariable[];
}

type Json = Record<string, any>;

export function serverEnvironments(stack: Json): ServerEnvironment[] {
  const found: ServerEnvironment[] = [];
  for (const [id, task] of Object.entries<Json>(stack.resource?.aws_ecs_task_definition ?? {})) {
    for (const container of JSON.parse(task.container_definitions) as Json[]) {
      found.push({
        where: `aws_ecs_task_definition.${id} container ${container.name}`,
        variables: [
          ...(container.environment ?? []).map((entry: Json) => ({ name: entry.name, value: entry.value })),
          ...(container.secrets ?? []).map((entry: Json) => ({ name: entry.name, secret: entry.valueFrom })),
        ],
      });
    }
  }
  const configMaps: Record<string, Json> = stack.resource?.kubernetes_config_map_v1 ?? {};
  for (const [id, deployment] of Object.entries<Json>(stack.resource?.kubernetes_deployment_v1 ?? {})) {
    for (const container of deployment.spec.template.spec.container as Json[]) {
      const variables: EmittedVariable[] = [];
      for (const source of container.env_from ?? []) {
        const reference = String(source.config_map_ref?.name ?? "");
        const byAddress = /^\$\{kubernetes_config_map_v1\.([^.]+)\.metadata\[0\]\.name\}$/.exec(reference)?.[1];
        const configMap =
          byAddress !== undefined ? configMaps[byAddress] : Object.values(configMaps).find((candidate) => candidate.metadata.name === reference);
        if (configMap === undefined) throw new Error(`deployment ${id} reads ConfigMap ${reference}, which is not in the stack`);
        for (const [name, value] of Object.entries<string>(configMap.data ?? {})) variables.push({ name, value });
      }
      for (const entry of container.env ?? []) {
        const ref = entry.value_from?.secret_key_ref;
        variables.push(ref !== undefined ? { name: entry.name, secret: `${ref.name}/${ref.key}` } : { name: entry.name, value: entry.value });
      }
      found.push({ where: `kubernetes_deployment_v1.${id} container ${container.name}`, variables });
    }
  }
  return found;
}

/** Databases in the stack that refuse connections without TLS, with the setting that makes them do so. */
export function tlsForcingDatabases(stack: Json): string[] {
  const resources = (type: string): Array<[string, Json]> => Object.entries<Json>(stack.resource?.[type] ?? {});
  const forcing: string[] = [];
  for (const type of ["aws_rds_cluster_parameter_group", "aws_db_parameter_group"]) {
    for (const [id, group] of resources(type)) {
      if ((group.parameter ?? []).some((parameter: Json) => parameter.name === "rds.force_ssl" && String(parameter.value) === "1"))
        forcing.push(`${type}.${id} rds.force_ssl = 1`);
    }
  }
  for (const [id, instance] of resources("google_sql_database_instance")) {
    const mode = instance.settings?.ip_configuration?.ssl_mode;
    if (mode === "ENCRYPTED_ONLY" || mode === "TRUSTED_CLIENT_CERTIFICATE_REQUIRED") forcing.push(`google_sql_database_instance.${id} ssl_mode = ${mode}`);
  }
  // Flexible Server requires TLS unless a configuration turns require_secure_transport off.
  const secureTransportOff = resources("azurerm_postgresql_flexible_server_configuration").some(
    ([, configuration]) => configuration.name === "require_secure_transport" && String(configuration.value).toLowerCase() === "off",
  );
  for (const [id] of resources("azurerm_postgresql_flexible_server")) {
    if (!secureTransportOff) forcing.push(`azurerm_postgresql_flexible_server.${id} require_secure_transport on`);
  }
  return forcing;
}
