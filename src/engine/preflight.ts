import { execFile } from "node:child_process";
import { ExitCode, PlatinfraError } from "../errors";
import type { Spec } from "../spec/types";
import { findOnPath } from "./pulumi-cli";

export interface PreflightResult {
  accountId: string;
  /** The identity the credentials resolve to. */
  callerArn: string;
  region: string;
}

/** Runs a command and returns its stdout; rejects with its stderr. */
export type CommandRunner = (file: string, args: string[], env: NodeJS.ProcessEnv) => Promise<string>;

export class PreflightError extends PlatinfraError {
  /** `refused`: the request itself cannot be done as asked (another account, no region): exit 2. */
  constructor(message: string, hint: string, kind: "failed" | "refused" = "failed") {
    super("PREFLIGHT", message, { hints: [hint], exitCode: kind === "refused" ? ExitCode.invalidInput : ExitCode.failure });
  }
}

const runCommand: CommandRunner = (file, args, env) =>
  new Promise((resolve, reject) => {
    execFile(file, args, { env, timeout: 60_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error((stderr || error.message).trim()));
      else resolve(stdout);
    });
  });

/**
 * Checks, before anything is deployed, that this machine can deploy the spec: the aws CLI is on
 * PATH (EKS kubeconfigs call it), a region is known, credentials resolve, and they belong to the
 * spec's account. Each failure is one line with its fix.
 */
export async function preflight(spec: Spec, env: NodeJS.ProcessEnv = process.env, run: CommandRunner = runCommand): Promise<PreflightResult> {
  const aws = findOnPath("aws", env);
  if (!aws) {
    throw new PreflightError(
      "the aws CLI is not on PATH — platinfra needs it: EKS kubeconfigs call `aws eks get-token`",
      "install AWS CLI v2: https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html",
    );
  }
  const profileArgs = spec.provider.profile ? ["--profile", spec.provider.profile] : [];
  const region = spec.provider.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? (await configuredRegion(aws, profileArgs, env, run));
  if (!region) {
    throw new PreflightError(
      "no AWS region is known — the spec sets none, AWS_REGION is unset and the AWS profile has no region",
      "set provider.region in the spec (e.g. region: eu-west-1), or export AWS_REGION",
      "refused",
    );
  }
  const identity = await callerIdentity(aws, [...profileArgs, "--region", region], env, run, spec.provider.profile);
  if (identity.Account !== spec.provider.accountId) {
    throw new PreflightError(
      `these AWS credentials belong to account ${identity.Account} (${identity.Arn}), but the spec deploys to account ${spec.provider.accountId} — refusing to touch another account`,
      "use credentials for the spec's account (provider.profile or AWS_PROFILE), or correct provider.account-id",
      "refused",
    );
  }
  return { accountId: identity.Account, callerArn: identity.Arn, region };
}

async function configuredRegion(aws: string, profileArgs: string[], env: NodeJS.ProcessEnv, run: CommandRunner) {
  try {
    return (await run(aws, ["configure", "get", "region", ...profileArgs], env)).trim() || undefined;
  } catch {
    return undefined; // `aws configure get` exits 1 when the value is unset
  }
}

async function callerIdentity(aws: string, args: string[], env: NodeJS.ProcessEnv, run: CommandRunner, profile?: string) {
  let output: string;
  try {
    output = await run(aws, ["sts", "get-caller-identity", "--output", "json", ...args], env);
  } catch (error) {
    const reason = (error as Error).message.split("\n").filter(Boolean).pop() ?? "unknown error";
    const login = profile ? `aws sso login --profile ${profile} (or aws configure --profile ${profile})` : "aws configure, aws sso login, or export AWS_PROFILE";
    throw new PreflightError(`AWS credentials could not be resolved (aws sts get-caller-identity: ${reason})`, `sign in: ${login}`);
  }
  const identity = JSON.parse(output) as { Account?: string; Arn?: string };
  if (!identity.Account) throw new PreflightError(`aws sts get-caller-identity returned no account: ${output.trim()}`, "check the aws CLI's configuration");
  return { Account: identity.Account, Arn: identity.Arn ?? "unknown identity" };
}
