import { anyReference, isFalse, isReference, isTrue, literalString, stringList } from "../json";
import { CANNOT_TELL, COMPLIANT, nonCompliant, NOT_APPLICABLE, type PolicyRule } from "../types";

const AWS_BLOCK_FLAGS = ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"];
const PUBLIC_ACLS = ["public-read", "public-read-write", "authenticated-read"];
const PUBLIC_MEMBERS = ["allUsers", "allAuthenticatedUsers"];

/** Buckets holding PHI (Medplum binaries) can never be made public. */
export const BucketPublicAccessBlocked: PolicyRule = {
  id: "BucketPublicAccessBlocked",
  description: "Object storage blocks every form of public access.",
  severity: "error",
  appliesTo: [
    "aws_s3_bucket",
    "aws_s3_bucket_public_access_block",
    "aws_s3_bucket_acl",
    "google_storage_bucket",
    "google_storage_bucket_iam_member",
    "google_storage_bucket_iam_binding",
    "azurerm_storage_account",
    "azurerm_storage_container",
  ],
  check: (subject, stack) => {
    const { type, body } = subject;
    switch (type) {
      case "aws_s3_bucket":
        // The block's own flags are checked on the block itself.
        return stack.referencing("aws_s3_bucket_public_access_block", "bucket", subject, [body.bucket]).length > 0
          ? COMPLIANT
          : nonCompliant("no aws_s3_bucket_public_access_block points at this bucket; add one with all four flags true");
      case "aws_s3_bucket_public_access_block": {
        const open = AWS_BLOCK_FLAGS.filter((flag) => !isTrue(body[flag]) && !isReference(body[flag]));
        if (open.length > 0) return nonCompliant(`${open.join(", ")} ${open.length === 1 ? "is" : "are"} not true; set all four flags to true`);
        return anyReference(...AWS_BLOCK_FLAGS.map((flag) => body[flag])) ? CANNOT_TELL : COMPLIANT;
      }
      case "aws_s3_bucket_acl": {
        if (isReference(body.acl)) return CANNOT_TELL;
        const acl = literalString(body.acl);
        return acl !== undefined && PUBLIC_ACLS.includes(acl) ? nonCompliant(`acl is "${acl}"; use "private" (or no ACL: bucket owner enforced)`) : COMPLIANT;
      }
      case "google_storage_bucket":
        if (!isReference(body.public_access_prevention) && literalString(body.public_access_prevention) !== "enforced") {
          return nonCompliant(`public_access_prevention is ${literalString(body.public_access_prevention) ?? "not set (inherited)"}; set it to "enforced"`);
        }
        if (!isTrue(body.uniform_bucket_level_access) && !isReference(body.uniform_bucket_level_access)) {
          return nonCompliant("uniform_bucket_level_access is not true; set it so object ACLs cannot grant access");
        }
        return anyReference(body.public_access_prevention, body.uniform_bucket_level_access) ? CANNOT_TELL : COMPLIANT;
      case "google_storage_bucket_iam_member":
      case "google_storage_bucket_iam_binding": {
        const members = [...stringList(body.member), ...stringList(body.members)];
        const publicMembers = members.filter((member) => PUBLIC_MEMBERS.includes(member));
        return publicMembers.length > 0
          ? nonCompliant(`grants ${body.role ?? "a role"} to ${publicMembers.join(", ")}; grant it to named principals only`)
          : COMPLIANT;
      }
      case "azurerm_storage_account":
        if (isFalse(body.allow_nested_items_to_be_public)) return COMPLIANT;
        return isReference(body.allow_nested_items_to_be_public)
          ? CANNOT_TELL
          : nonCompliant("allow_nested_items_to_be_public is not false (it defaults to true); set it to false");
      case "azurerm_storage_container": {
        if (isReference(body.container_access_type)) return CANNOT_TELL;
        const access = literalString(body.container_access_type) ?? "private";
        return access === "private" ? COMPLIANT : nonCompliant(`container_access_type is "${access}"; set it to "private"`);
      }
      default:
        return NOT_APPLICABLE;
    }
  },
};
