/**
 * The policy pack's ExternalDnsOwnership warning, as the plan report shows it: external-dns only changes a record its own --txt-owner-id owns, so a switch
 * through an annotated Ingress must be checked, and the report says how, with the owner id the stack expects.
 */
import { evaluateStackJson, RECOVERY_PACK, type TerraformJson } from "../../policy";
import { kubernetesConfig, synthKubernetesStack } from "../kubernetes/stack-fixtures";

const ownership = (json: object) =>
  evaluateStackJson(json as TerraformJson, "recovery-k8s", { suppressions: [] }, RECOVERY_PACK).findings.filter(
    (finding) => finding.ruleId === "ExternalDnsOwnership",
  );

describe("policy warning ExternalDnsOwnership", () => {
  test("warns on the annotated Ingress that a record owned elsewhere is not taken over, and names the check", () => {
    const findings = ownership(synthKubernetesStack());
    expect(findings.map((finding) => finding.address)).toEqual([expect.stringMatching(/^kubernetes_ingress_v1\./)]);
    const [message] = findings.map((finding) => finding.message);
    expect(message).toContain("external-dns switches api.medplum.example.com only if it owns the record");
    expect(message).toContain("owned by another external-dns");
    expect(message).toContain("`dig +short TXT a-api.medplum.example.com` (`cname-api.medplum.example.com` for a CNAME)");
    expect(message).toContain("shows external-dns/owner=medplum-dr");
    expect(message).toContain("docs/targets/kubernetes.md");
  });

  test("falls back to naming the controller flag when the Ingress does not state an owner id (GKE, AKS, hand-written)", () => {
    const json = {
      resource: {
        kubernetes_ingress_v1: {
          api: { metadata: { name: "medplum-server", annotations: { "external-dns.alpha.kubernetes.io/hostname": "api.example.org" } }, spec: {} },
        },
      },
    };
    expect(ownership(json).map((finding) => finding.message)).toEqual([
      expect.stringContaining("shows the owner id this cluster's external-dns runs with (--txt-owner-id)"),
    ]);
  });

  test("stays quiet when the api record is switched by hand (traffic.mode output-address)", () => {
    expect(ownership(synthKubernetesStack(kubernetesConfig((doc) => (doc.targets.kubernetes.traffic = { mode: "output-address" }))))).toEqual([]);
  });
});
