/**
 * The API host's certificate, requested from ACM in the recovery region and validated through DNS in peacetime: DNS
 * validation can take up to hours (https://docs.aws.amazon.com/acm/latest/userguide/dns-validation.html), too long for
 * a recovery's critical path. The recovery's load balancer then names it (`targets.aws.tls.certificateArn`, from this
 * stack's `certificate_id` output). ACM renews it by itself while the validation record stays in place.
 *
 * The validation record is a CNAME that ACM derives from the domain and the account, so a certificate the primary
 * already has for the same host was validated with the same record. `allow_overwrite` lets this stack take it over
 * instead of failing on it, and a destroy of standby-aws deletes it (docs/standby.md says what that does to the
 * primary's renewals).
 */
import { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate";
import { AcmCertificateValidation } from "@cdktf/provider-aws/lib/acm-certificate-validation";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { Construct } from "constructs";
import type { IssuedCertificate } from "../../standby-contracts";

export interface StandbyCertificateProps {
  readonly recovery: AwsProvider;
  readonly hostname: string;
  readonly hostedZoneId: string;
}

export class StandbyCertificate extends Construct {
  readonly certificate: IssuedCertificate;

  constructor(scope: Construct, id: string, props: StandbyCertificateProps) {
    super(scope, id);
    const { recovery } = props;
    const certificate = new AcmCertificate(this, "certificate", {
      provider: recovery,
      domainName: props.hostname,
      validationMethod: "DNS",
      // A replaced certificate must exist before the old one goes, or the recovery's listener would name a deleted one.
      lifecycle: { createBeforeDestroy: true },
    });
    const option = certificate.domainValidationOptions.get(0);
    const record = new Route53Record(this, "validation", {
      provider: recovery,
      zoneId: props.hostedZoneId,
      name: option.resourceRecordName,
      type: option.resourceRecordType,
      records: [option.resourceRecordValue],
      ttl: 300,
      allowOverwrite: true,
    });
    const validation = new AcmCertificateValidation(this, "validated", {
      provider: recovery,
      certificateArn: certificate.arn,
      validationRecordFqdns: [record.fqdn],
    });
    this.certificate = { hostname: props.hostname, certificateId: validation.certificateArn };
  }
}

/** When the config asks for no certificate. */
export const NO_CERTIFICATE = (hostname: string): IssuedCertificate => ({ hostname, certificateId: "none" });
