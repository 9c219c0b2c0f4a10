/**
 * What the tests that plan single AWS resources against the offline provider share: Terraform run asynchronously,
 * an environment in which any HTTP call the provider might attempt fails at once against a closed loopback port
 * instead of reaching AWS, and a provider block with fake credentials that never asks AWS who it is.
 */
import { spawn } from "node:child_process";

export function runTerraform(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.env.TERRAFORM_BINARY ?? "terraform", [...args], { cwd, env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

export function offlineTerraformEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    TF_IN_AUTOMATION: "1",
    TF_CLI_CONFIG_FILE: "/dev/null",
    HTTPS_PROXY: "http://127.0.0.1:9",
    HTTP_PROXY: "http://127.0.0.1:9",
    NO_PROXY: "",
  };
}

export const FAKE_AWS_PROVIDER = {
  region: "us-west-2",
  access_key: "AKIAFAKEFAKEFAKEFAKE",
  secret_key: "fake-for-an-offline-plan",
  skip_credentials_validation: true,
  skip_requesting_account_id: true,
  skip_metadata_api_check: true,
  skip_region_validation: true,
} as const;
