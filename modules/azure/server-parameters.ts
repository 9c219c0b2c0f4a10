/**
 * Server parameters every recovered Flexible Server carries: TLS 1.2+ only, and the settings Medplum requires
 * (statement timeout, repeatable-read isolation, the extensions it creates). A restored server gets the source's
 * parameters, but a source configured by hand may lack some; setting them here makes the recovery self-contained.
 */
import { PostgresqlFlexibleServerConfiguration } from "@cdktf/provider-azurerm/lib/postgresql-flexible-server-configuration";
import { Construct } from "constructs";

/**
 * Azure parameter names and values. Azure lists enumerated values in lower case (`repeatable read`) and allow-lists
 * extensions in `azure.extensions` (comma-separated, upper case as the portal writes them).
 */
export const MEDPLUM_SERVER_PARAMETERS: Readonly<Record<string, string>> = {
  require_secure_transport: "on",
  ssl_min_protocol_version: "TLSv1.2",
  statement_timeout: "60000",
  default_transaction_isolation: "repeatable read",
  "azure.extensions": "PG_STAT_STATEMENTS,BTREE_GIN,PG_TRGM",
};

export interface ServerParametersProps {
  readonly serverId: string;
}

export class ServerParameters extends Construct {
  readonly parameters: readonly PostgresqlFlexibleServerConfiguration[];

  constructor(scope: Construct, id: string, props: ServerParametersProps) {
    super(scope, id);
    // Construct ids derive from the parameter names, so the Terraform addresses stay put when one is added. Azure
    // refuses concurrent parameter updates on one server ("ServerIsBusy"), so each waits for the one before.
    const parameters: PostgresqlFlexibleServerConfiguration[] = [];
    for (const [name, value] of Object.entries(MEDPLUM_SERVER_PARAMETERS)) {
      const previous = parameters[parameters.length - 1];
      parameters.push(
        new PostgresqlFlexibleServerConfiguration(
          this,
          name.replace(/[._]([a-z])/g, (_match, letter: string) => letter.toUpperCase()),
          {
            serverId: props.serverId,
            name,
            value,
            ...(previous !== undefined ? { dependsOn: [previous] } : {}),
          },
        ),
      );
    }
    this.parameters = parameters;
  }
}
