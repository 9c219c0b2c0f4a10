import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fargateCpuUnits } from "../../modules/aws/ecs-service";
import { ecrRepositoryArn } from "../../modules/aws/iam";
import { exampleConfig } from "../support/config";
import { synthAws } from "./helpers";

const APP_SECRET = "arn:aws:secretsmanager:us-west-2:111122223333:secret:medplum/app-AbCdEf";
const REDIS_SECRET = "arn:aws:secretsmanager:us-west-2:111122223333:secret:medplum/redis-auth-AbCdEf";

describe("application: the Medplum task definition", () => {
  const stack = synthAws();
  const taskDefinition = stack.only("aws_ecs_task_definition");
  const container = JSON.parse(taskDefinition.container_definitions)[0];
  const environment = Object.fromEntries(container.environment.map((variable: { name: string; value: string }) => [variable.name, variable.value]));

  it("runs the pinned image with the single argument env on port 8103", () => {
    expect(container).toMatchObject({
      image: "medplum/medplum-server:4.3.9",
      command: ["env"],
      portMappings: [{ containerPort: 8103, protocol: "tcp" }],
      essential: true,
    });
  });

  it("sizes the Fargate task from medplum.server (2000 millicores = 2048 CPU units)", () => {
    expect(taskDefinition).toMatchObject({ cpu: "2048", memory: "4096", requires_compatibilities: ["FARGATE"], network_mode: "awsvpc" });
    expect(fargateCpuUnits(250)).toBe(256);
    expect(fargateCpuUnits(16000)).toBe(16384);
  });

  it("has a read-only root file system with a writable /tmp volume and no Linux capabilities", () => {
    expect(container.readonlyRootFilesystem).toBe(true);
    expect(container.mountPoints).toEqual([{ sourceVolume: "tmp", containerPath: "/tmp", readOnly: false }]);
    expect(taskDefinition.volume).toEqual([{ name: "tmp" }]);
    expect(container.linuxParameters.capabilities.drop).toEqual(["ALL"]);
  });

  it("configures Medplum through MEDPLUM_* variables pointing at the recovered services", () => {
    expect(environment).toEqual({
      MEDPLUM_BASE_URL: "https://api.medplum.example.com/",
      MEDPLUM_PORT: "8103",
      MEDPLUM_APP_BASE_URL: "https://app.medplum.example.com/",
      MEDPLUM_STORAGE_BASE_URL: "https://storage.medplum.example.com/binary/",
      MEDPLUM_BINARY_STORAGE: "s3:medplum-binaries-usw2",
      // Medplum's S3 and SES clients take their region from awsRegion (default us-east-1), not AWS_REGION.
      MEDPLUM_AWS_REGION: "us-west-2",
      MEDPLUM_DATABASE_HOST: stack.ref("aws_rds_cluster", "database", "endpoint"),
      MEDPLUM_DATABASE_PORT: "5432",
      MEDPLUM_DATABASE_DBNAME: "medplum",
      // TLS on (the parameter group forces it); the example names no RDS CA bundle, so the certificate is not verified.
      MEDPLUM_DATABASE_SSL: '{"require":true,"rejectUnauthorized":false}',
      MEDPLUM_REDIS_HOST: stack.ref("aws_elasticache_replication_group", "cache", "primary_endpoint_address"),
      MEDPLUM_REDIS_PORT: "6379",
      MEDPLUM_REDIS_TLS: "{}",
      MEDPLUM_SUPPORT_EMAIL: "support@medplum.example.com",
    });
  });

  it("verifies the database's certificate against the RDS CA bundle named in config", () => {
    const bundle = join(__dirname, "..", "medplum", "fixtures", "test-ca-bundle.pem");
    const verified = synthAws({ targets: { aws: { database: { caBundleFile: bundle } } } });
    const containerOf = JSON.parse(verified.only("aws_ecs_task_definition").container_definitions)[0];
    const ssl = containerOf.environment.find((variable: { name: string }) => variable.name === "MEDPLUM_DATABASE_SSL").value;
    expect(JSON.parse(ssl)).toEqual({ require: true, rejectUnauthorized: true, ca: readFileSync(bundle, "utf8") });
  });

  it("reads the SMTP password from the application secret when medplum.smtp is set", () => {
    // Only the AWS target: the others would each need their own SMTP password secret.
    const withSmtp = synthAws({ medplum: { smtp: { host: "smtp.example.com", username: "apikey" } }, targets: { gcp: null, azure: null, kubernetes: null } });
    const containerOf = JSON.parse(withSmtp.only("aws_ecs_task_definition").container_definitions)[0];
    expect(containerOf.environment).toEqual(
      expect.arrayContaining([
        { name: "MEDPLUM_SMTP_HOST", value: "smtp.example.com" },
        { name: "MEDPLUM_SMTP_PORT", value: "587" },
        { name: "MEDPLUM_SMTP_USERNAME", value: "apikey" },
      ]),
    );
    expect(containerOf.secrets).toContainEqual({ name: "MEDPLUM_SMTP_PASSWORD", valueFrom: `${APP_SECRET}:smtpPassword::` });
  });

  it("passes every sensitive setting as an ECS secret reference", () => {
    const masterSecret = stack.ref("aws_rds_cluster", "database", "master_user_secret[0].secret_arn");
    expect(container.secrets).toEqual([
      { name: "MEDPLUM_DATABASE_PASSWORD", valueFrom: `${masterSecret}:password::` },
      { name: "MEDPLUM_DATABASE_USERNAME", valueFrom: `${masterSecret}:username::` },
      { name: "MEDPLUM_REDIS_PASSWORD", valueFrom: REDIS_SECRET },
      { name: "MEDPLUM_SIGNING_KEY", valueFrom: `${APP_SECRET}:signingKey::` },
      { name: "MEDPLUM_SIGNING_KEY_ID", valueFrom: `${APP_SECRET}:signingKeyId::` },
      { name: "MEDPLUM_SIGNING_KEY_PASSPHRASE", valueFrom: `${APP_SECRET}:signingKeyPassphrase::` },
    ]);
  });

  it("has no secret value anywhere in the task definition", () => {
    const sensitiveNames = /PASSWORD|SIGNING_KEY|SECRET|TOKEN/;
    expect(container.environment.filter((variable: { name: string }) => sensitiveNames.test(variable.name))).toEqual([]);
    expect(taskDefinition.container_definitions).not.toMatch(/secret_string|auth_token/);
  });

  it("logs to a KMS-encrypted CloudWatch log group with a retention", () => {
    const logGroup = stack.at("aws_cloudwatch_log_group", "application");
    expect(logGroup).toMatchObject({ name: "/medplum/medplum-dr/server", retention_in_days: 365, kms_key_id: stack.ref("aws_kms_key", "database/key", "arn") });
    expect(container.logConfiguration).toMatchObject({
      logDriver: "awslogs",
      options: { "awslogs-group": stack.ref("aws_cloudwatch_log_group", "application", "name"), "awslogs-region": "us-west-2" },
    });
  });
});

describe("application: the ECS service", () => {
  const stack = synthAws();
  const service = stack.only("aws_ecs_service");

  it("runs in the private subnets without a public IP, behind the target group", () => {
    expect(service.network_configuration).toMatchObject({
      assign_public_ip: false,
      security_groups: [stack.ref("aws_security_group", "securityGroups/application", "id")],
    });
    expect(service.load_balancer).toEqual([
      { target_group_arn: stack.ref("aws_lb_target_group", "application", "arn"), container_name: "medplum-server", container_port: 8103 },
    ]);
  });

  it("makes apply wait for healthy servers and rolls back a deployment that cannot get healthy", () => {
    expect(service).toMatchObject({
      desired_count: 2,
      launch_type: "FARGATE",
      wait_for_steady_state: true,
      deployment_circuit_breaker: { enable: true, rollback: true },
    });
    expect(service.health_check_grace_period_seconds).toBeGreaterThanOrEqual(300);
  });

  it("starts no server before the database writer exists, so the circuit breaker cannot roll back a recovery", () => {
    expect(service.depends_on).toContain(stack.address("aws_rds_cluster_instance", "aurora/writer"));
    const rds = synthAws({
      targets: {
        aws: {
          database: {
            engine: "postgres",
            restore: { mode: "snapshot", source: null, snapshotIdentifier: "arn:aws:rds:us-west-2:111122223333:snapshot:medplum-prod" },
          },
        },
      },
    });
    expect(rds.only("aws_ecs_service").depends_on).toContain(rds.address("aws_db_instance", "rds"));
  });

  it("runs on a cluster with Container Insights", () => {
    expect(stack.only("aws_ecs_cluster").setting).toEqual([{ name: "containerInsights", value: "enabled" }]);
  });

  it("scales on CPU from the configured count up to maxCount", () => {
    expect(stack.only("aws_appautoscaling_target")).toMatchObject({
      min_capacity: 2,
      max_capacity: 6,
      scalable_dimension: "ecs:service:DesiredCount",
      service_namespace: "ecs",
    });
    expect(stack.only("aws_appautoscaling_policy").target_tracking_scaling_policy_configuration.predefined_metric_specification.predefined_metric_type).toBe(
      "ECSServiceAverageCPUUtilization",
    );
  });

  it("scales up to three times the count when maxCount is not set", () => {
    const stackWithoutMax = synthAws({ medplum: { server: { count: 3, maxCount: null } } });
    expect(stackWithoutMax.only("aws_appautoscaling_target")).toMatchObject({ min_capacity: 3, max_capacity: 9 });
  });
});

describe("application: IAM", () => {
  const stack = synthAws();
  const policyOf = (pathPart: string) => JSON.parse(stack.at("aws_iam_role_policy", pathPart).policy);

  it("lets ECS read exactly the referenced secrets and write the server log group", () => {
    const statements = policyOf("roles/executionPolicy").Statement;
    const secretRead = statements.find((statement: { Sid: string }) => statement.Sid === "ReadReferencedSecrets");
    expect(secretRead).toEqual({
      Sid: "ReadReferencedSecrets",
      Effect: "Allow",
      Action: ["secretsmanager:GetSecretValue"],
      Resource: expect.arrayContaining([stack.ref("aws_rds_cluster", "database", "master_user_secret[0].secret_arn"), REDIS_SECRET, APP_SECRET]),
    });
    expect(secretRead.Resource).toHaveLength(3);
    expect(statements.find((statement: { Sid: string }) => statement.Sid === "WriteServerLogs").Resource).toEqual([
      `${stack.ref("aws_cloudwatch_log_group", "application", "arn")}:*`,
    ]);
    expect(JSON.stringify(statements)).not.toMatch(/"Action":\s*"\*"|secretsmanager:\*/);
  });

  it("lets the servers read and write the binaries bucket and nothing else", () => {
    const statements = policyOf("roles/taskPolicy").Statement;
    const resources = statements
      .flatMap((statement: { Resource: string | string[] }) => [statement.Resource].flat())
      .filter((resource: string) => resource !== "*");
    expect(resources.sort()).toEqual(["arn:aws:s3:::medplum-binaries-usw2", "arn:aws:s3:::medplum-binaries-usw2/*"]);
  });

  it("allows pulling from ECR only when the image lives there", () => {
    expect(JSON.stringify(policyOf("roles/executionPolicy"))).not.toContain("ecr:");
    expect(ecrRepositoryArn("111122223333.dkr.ecr.us-west-2.amazonaws.com/medplum-server:4.3.9", "aws")).toBe(
      "arn:aws:ecr:us-west-2:111122223333:repository/medplum-server",
    );
    expect(ecrRepositoryArn("medplum/medplum-server:4.3.9", "aws")).toBeUndefined();
  });
});

describe("application: the load balancer", () => {
  const stack = synthAws();

  it("is internet-facing in the public subnets and drops invalid headers", () => {
    expect(stack.only("aws_lb")).toMatchObject({
      name: "medplum-dr-alb",
      internal: false,
      load_balancer_type: "application",
      drop_invalid_header_fields: true,
    });
  });

  it("serves HTTPS with a TLS 1.3 policy and the configured certificate", () => {
    const https = Object.values(stack.resources("aws_lb_listener")).find((listener) => listener.port === 443)!;
    expect(https).toMatchObject({
      protocol: "HTTPS",
      ssl_policy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
      certificate_arn: "arn:aws:acm:us-west-2:111122223333:certificate/0a1b2c3d-0000-4000-8000-000000000000",
      default_action: [{ type: "forward", target_group_arn: stack.ref("aws_lb_target_group", "application", "arn") }],
    });
  });

  it("redirects plain HTTP to HTTPS with a 301", () => {
    const http = Object.values(stack.resources("aws_lb_listener")).find((listener) => listener.port === 80)!;
    expect(http.protocol).toBe("HTTP");
    expect(http.default_action).toEqual([{ type: "redirect", redirect: { port: "443", protocol: "HTTPS", status_code: "HTTP_301" } }]);
  });

  it("checks the servers on /healthcheck with Medplum's own thresholds", () => {
    expect(stack.only("aws_lb_target_group")).toMatchObject({
      port: 8103,
      protocol: "HTTP",
      target_type: "ip",
      health_check: { path: "/healthcheck", interval: 30, timeout: 5, healthy_threshold: 2, unhealthy_threshold: 5, matcher: "200" },
    });
  });

  it("keeps every load balancer and target group name within AWS's 32 characters for the longest environment", () => {
    const stackWithLongName = synthAws(exampleConfig({ environment: "a234567890123456789z", targets: { gcp: null, azure: null, kubernetes: null } }));
    expect(stackWithLongName.only("aws_lb").name.length).toBeLessThanOrEqual(32);
    expect(stackWithLongName.only("aws_lb_target_group").name.length).toBeLessThanOrEqual(32);
  });
});
