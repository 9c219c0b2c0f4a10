import { awsApplicationSecrets } from "../../modules/aws/secrets";

describe("secrets: Medplum's signing key", () => {
  it("points each signing-key variable at its JSON key in the replicated application secret", () => {
    const arn = "arn:aws:secretsmanager:us-west-2:111122223333:secret:medplum/app-AbCdEf";
    expect(awsApplicationSecrets({ applicationSecretArn: arn }).environment).toEqual({
      MEDPLUM_SIGNING_KEY: { store: "aws-secrets-manager", id: arn, key: "signingKey" },
      MEDPLUM_SIGNING_KEY_ID: { store: "aws-secrets-manager", id: arn, key: "signingKeyId" },
      MEDPLUM_SIGNING_KEY_PASSPHRASE: { store: "aws-secrets-manager", id: arn, key: "signingKeyPassphrase" },
    });
  });
});
