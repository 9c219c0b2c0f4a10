/**
 * The Terraform resource types that hold a recovered Medplum database, one per engine and cloud: what the policy
 * pack's database rules apply to and what the report calls the database. Cluster members
 * (`aws_rds_cluster_instance`) hold no data of their own and are not among them.
 */
export const DATABASE_RESOURCE_TYPES = ["aws_rds_cluster", "aws_db_instance", "google_sql_database_instance", "azurerm_postgresql_flexible_server"] as const;
export type DatabaseHoldingType = (typeof DATABASE_RESOURCE_TYPES)[number];

/** The AWS ones: an Aurora cluster or an RDS instance. */
export const AWS_DATABASE_RESOURCE_TYPES = ["aws_rds_cluster", "aws_db_instance"] as const satisfies readonly DatabaseHoldingType[];
