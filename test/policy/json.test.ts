import {
  anyReference,
  at,
  blocks,
  createStackIndex,
  falseOrUnknown,
  ignoresChanges,
  ignoresPath,
  isSet,
  isTrue,
  listSubjects,
  literalNumber,
  referencedAddresses,
  trueOrUnknown,
} from "../../policy/json";
import { CANNOT_TELL, COMPLIANT } from "../../policy/types";
import { STACK, stack } from "./helpers";

describe("reading synthesized JSON", () => {
  it("treats a nested block emitted as an object or as an array of objects alike", () => {
    expect(blocks({ enabled: true })).toEqual([{ enabled: true }]);
    expect(blocks([{ enabled: true }, { enabled: false }])).toEqual([{ enabled: true }, { enabled: false }]);
    expect(blocks(undefined)).toEqual([]);
    expect(at({ settings: [{ ip_configuration: { ipv4_enabled: false } }] }, "settings", "ip_configuration", "ipv4_enabled")).toBe(false);
    expect(at({ settings: { ip_configuration: [{ ipv4_enabled: false }] } }, "settings", "ip_configuration", "ipv4_enabled")).toBe(false);
    expect(at({ settings: {} }, "settings", "ip_configuration", "ipv4_enabled")).toBeUndefined();
  });

  it("counts a reference as set but never as a literal true or number", () => {
    expect(isSet("${aws_kms_key.db.arn}")).toBe(true);
    expect(isSet("")).toBe(false);
    expect(isSet([])).toBe(false);
    expect(isTrue("${var.encrypted}")).toBe(false);
    expect(literalNumber("${var.days}")).toBeUndefined();
    expect(literalNumber("7")).toBe(7);
  });

  it("reads a flag given by reference as present but unknown: cannot tell, never missing", () => {
    expect(trueOrUnknown(true)).toEqual(COMPLIANT);
    expect(trueOrUnknown("${var.encrypted}")).toEqual(CANNOT_TELL);
    expect(trueOrUnknown(undefined)).toBeUndefined();
    expect(trueOrUnknown(false)).toBeUndefined();
    expect(falseOrUnknown(false)).toEqual(COMPLIANT);
    expect(falseOrUnknown("${var.public}")).toEqual(CANNOT_TELL);
    expect(falseOrUnknown(undefined)).toBeUndefined();
    expect(anyReference("literal", ["a", "${var.b}"])).toBe(true);
    expect(anyReference("literal", ["a"], undefined)).toBe(false);
  });

  it("finds the resources an expression refers to, not data sources, variables or locals", () => {
    expect(referencedAddresses("${aws_s3_bucket.storage_bucket_1A2B.id}")).toEqual(["aws_s3_bucket.storage_bucket_1A2B"]);
    expect(referencedAddresses("${data.aws_s3_bucket.replica.arn}/${var.prefix}-${local.name}")).toEqual([]);
    expect(referencedAddresses("arn:${aws_kms_key.db.arn}:${jsonencode(aws_lb.server.dns_name)}")).toEqual(["aws_kms_key.db", "aws_lb.server"]);
    expect(referencedAddresses("db.r6g.large")).toEqual([]);
    // An object constructor inside the interpolation: the braces nest, and the reference after them still counts.
    expect(referencedAddresses('${merge({ a = "x" }, { b = aws_kms_key.db.arn })}')).toEqual(["aws_kms_key.db"]);
  });

  it("reads a nested attribute as ignored when ignore_changes names it, in either index syntax, or a block above it", () => {
    const ignoring = (entries: unknown) => ({ lifecycle: { ignore_changes: entries } });
    expect(ignoresPath(ignoring(["settings[0].disk_size"]), "settings.disk_size")).toBe(true);
    expect(ignoresPath(ignoring(["settings.0.disk_size"]), "settings.disk_size")).toBe(true);
    expect(ignoresPath(ignoring(["settings"]), "settings.disk_size")).toBe(true);
    expect(ignoresPath(ignoring("all"), "settings.disk_size")).toBe(true);
    expect(ignoresPath(ignoring(["settings[0].disk_type"]), "settings.disk_size")).toBe(false);
    expect(ignoresPath(ignoring(["settings[0].disk_size"]), "settings")).toBe(false);
    expect(ignoresPath({}, "create_mode")).toBe(false);
  });

  it("finds the import blocks that adopt a resource", () => {
    const json = {
      ...stack({ "azurerm_dns_a_record.api": {} }),
      import: [
        { id: "/subscriptions/x/.../A/api", to: "azurerm_dns_a_record.api" },
        { id: "other", to: "azurerm_dns_a_record.www" },
      ],
    };
    const index = createStackIndex(json, STACK);
    expect(index.importIds("azurerm_dns_a_record.api")).toEqual(["/subscriptions/x/.../A/api"]);
    expect(index.importIds("azurerm_dns_a_record.none")).toEqual([]);
  });

  it("reads lifecycle.ignore_changes as a list or as all", () => {
    expect(ignoresChanges({ lifecycle: { ignore_changes: ["snapshot_identifier"] } }, "snapshot_identifier")).toBe(true);
    expect(ignoresChanges({ lifecycle: { ignore_changes: "all" } }, "snapshot_identifier")).toBe(true);
    expect(ignoresChanges({ lifecycle: { ignore_changes: ["kms_key_id"] } }, "snapshot_identifier")).toBe(false);
    expect(ignoresChanges({}, "snapshot_identifier")).toBe(false);
  });

  it("lists every element with its construct path and address, outputs' paths taken from the stack's // map", () => {
    const json = {
      ...stack({ "aws_s3_bucket.b": {} }),
      data: { aws_region: { current: {} } },
      provider: { aws: [{ region: "us-west-2" }, { region: "us-east-1", alias: "primary" }] },
      output: { api_url: { value: "x" } },
      "//": { outputs: { [STACK]: { api_url: "api_url" } } },
    };
    expect(listSubjects(json).map((subject) => `${subject.kind} ${subject.address} ${subject.path}`)).toEqual([
      `resource aws_s3_bucket.b ${STACK}/b`,
      "data data.aws_region.current data.aws_region.current",
      "provider provider.aws provider.aws",
      "provider provider.aws.primary provider.aws.primary",
      `output output.api_url ${STACK}/api_url`,
    ]);
  });

  it("relates resources by reference or by literal name", () => {
    const json = stack({
      "aws_s3_bucket.binaries": { bucket: "medplum-binaries" },
      "aws_s3_bucket_versioning.by_reference": { bucket: "${aws_s3_bucket.binaries.id}" },
      "aws_s3_bucket_versioning.by_name": { bucket: "medplum-binaries" },
      "aws_s3_bucket_versioning.other": { bucket: "${aws_s3_bucket.binaries_replica.id}" },
    });
    const index = createStackIndex(json, STACK);
    const bucket = index.resources("aws_s3_bucket")[0]!;
    expect(index.referencing("aws_s3_bucket_versioning", "bucket", bucket, [bucket.body.bucket]).map((subject) => subject.name)).toEqual([
      "by_name",
      "by_reference",
    ]);
    expect(index.referenced("${aws_s3_bucket.binaries.arn}/*")?.address).toBe("aws_s3_bucket.binaries");
  });
});
