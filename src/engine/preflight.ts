import { execFile } from "node:child_process";
import { CREATOR_TAG } from "../../components/base/principals";
import { ExitCode, PlatinfraError } from "../errors";
import { regionProblem } from "../spec/schema";
import type { Spec } from "../spec/types";
import { eksZones, quotaNeeds, quotaShortfalls, unofferedGroups } from "./capacity";
import { CONTROLLER_CRDS, detectInstalled, kubeGetter, type InstalledControllers, type KubeGet } from "./installed";
import { shellCommand } from "../util/shell";
import { findOnPath } from "./pulumi-cli";

export interface PreflightResult {
  accountId: string;
  /** The identity the credentials resolve to. */
  callerArn: string;
  region: string;
  /** The zones a created network will use (absent when the spec adopts a cluster). */
  zones?: string[];
  /** Controllers an existing cluster already runs (only with `existing_cluster`). */
  installed?: InstalledControllers;
}

/** Connects to a cluster's API server (endpoint, base64 CA, token). */
export type KubeConnector = (endpoint: string, certificateAuthority: string, token: string) => KubeGet;

export interface PreflightOptions {
  /**
   * Also check what deploying needs: zones, instance offerings and quotas for a created cluster,
   * the controllers an existing one runs. Off for destroy and refresh, which must work whatever
   * the account's quotas, or when an adopted cluster is gone. @default on
   */
  deploying?: boolean;
  /** @default an HTTPS client */
  connect?: KubeConnector;
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
export async function preflight(
  spec: Spec,
  env: NodeJS.ProcessEnv = process.env,
  run: CommandRunner = runCommand,
  options: PreflightOptions = {},
): Promise<PreflightResult> {
  const aws = findOnPath("aws", env);
  if (!aws) {
    throw new PreflightError(
      "the aws CLI is not on PATH — platinfra needs it: EKS kubeconfigs call `aws eks get-token`",
      "install AWS CLI v2: https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html",
    );
  }
  if (options.deploying !== false) requireGit(spec, env);
  const profileArgs = spec.provider.profile ? ["--profile", spec.provider.profile] : [];
  const [region, from] = spec.provider.region
    ? [spec.provider.region, "the spec"]
    : env.AWS_REGION
      ? [env.AWS_REGION, "AWS_REGION"]
      : env.AWS_DEFAULT_REGION
        ? [env.AWS_DEFAULT_REGION, "AWS_DEFAULT_REGION"]
        : [await configuredRegion(aws, profileArgs, env, run), "the AWS profile"];
  if (!region) {
    throw new PreflightError(
      "no AWS region is known — the spec sets none, AWS_REGION is unset and the AWS profile has no region",
      "set provider.region in the spec (e.g. region: eu-west-1), or export AWS_REGION",
      "refused",
    );
  }
  const wrong = regionProblem(region, from);
  if (wrong) throw new PreflightError(wrong, "set provider.region in the spec (e.g. region: eu-west-1), or correct it where it came from", "refused");
  const identity = await callerIdentity(aws, [...profileArgs, "--region", region], env, run, spec.provider.profile);
  if (identity.Account !== spec.provider.accountId) {
    throw new PreflightError(
      `these AWS credentials belong to account ${identity.Account} (${identity.Arn}), but the spec deploys to account ${spec.provider.accountId} — refusing to touch another account`,
      "use credentials for the spec's account (provider.profile or AWS_PROFILE), or correct provider.account-id",
      "refused",
    );
  }
  const awsJson = async (args: string[]) => JSON.parse(await run(aws, [...args, "--output", "json", ...profileArgs, "--region", region], env)) as Record<string, any>;
  const checked = { accountId: identity.Account, callerArn: identity.Arn, region };
  if (options.deploying === false) return checked;
  if (spec.deployment.existingCluster) {
    return { ...checked, installed: await installedControllers(spec, spec.deployment.existingCluster.name, awsJson, options.connect ?? kubeGetter) };
  }
  if (!createsCluster(spec)) return checked;
  return { ...checked, zones: await checkCapacity(spec, region, awsJson) };
}

/**
 * Tools whose manifests the Kubernetes provider's kustomize fetches from GitHub with `git` on this
 * machine while deploying (kubeflow: remote bases at its pinned tag).
 */
const TOOLS_FETCHING_WITH_GIT = ["kubeflow"];

/** Without git, such a tool would fail at its manifests after its database and roles were created. */
function requireGit(spec: Spec, env: NodeJS.ProcessEnv): void {
  const fetching = spec.tools.map((tool) => tool.name).filter((name) => TOOLS_FETCHING_WITH_GIT.includes(name));
  if (fetching.length === 0 || findOnPath("git", env)) return;
  throw new PreflightError(
    `git is not on PATH — ${fetching.join(", ")} fetches its pinned manifests from GitHub with git while deploying`,
    "install git (e.g. apt-get install git, or brew install git), then run again: nothing has been created",
  );
}

/** What the existing cluster already runs, asked of its API server with the deploying identity. */
async function installedControllers(spec: Spec, clusterName: string, awsJson: (args: string[]) => Promise<Record<string, any>>, connect: KubeConnector): Promise<InstalledControllers> {
  const { cluster } = await awsJson(["eks", "describe-cluster", "--name", clusterName]);
  const { status } = await awsJson(["eks", "get-token", "--cluster-name", clusterName]);
  let detection;
  try {
    detection = await detectInstalled(connect(cluster.endpoint, cluster.certificateAuthority?.data ?? "", status.token));
  } catch (error) {
    throw new PreflightError(
      `cannot read the existing cluster ${clusterName}'s API at ${cluster.endpoint}: ${(error as Error).message}`,
      "deploy from a network that reaches the cluster's endpoint, with an identity the cluster admits (an EKS access entry)",
    );
  }
  const problems = [...detection.problems];
  const exposed = spec.tools.filter((tool) => (tool.params as { expose?: unknown }).expose).map((tool) => tool.name);
  if (exposed.length > 0 && !detection.installed.loadBalancerController) {
    problems.push(`${exposed.join(", ")} ${exposed.length === 1 ? "is" : "are"} exposed through an ALB Ingress, but the existing cluster ${clusterName} runs no AWS Load Balancer Controller (no ${CONTROLLER_CRDS.loadBalancerController} CRD) — install it in the cluster, or remove expose`);
  }
  if (problems.length > 0) throw new PreflightError(problems.join("\n"), "fix each line above, then run again: nothing has been created", "refused");
  return detection.installed;
}

/** Whether the cluster platinfra creates exists yet, and whom its `platinfra:creator` tag names. */
export type RecordedCreator = { exists: false } | { exists: true; creatorArn?: string };

/**
 * Who created the stack's cluster, as its tag recorded at creation. EKS gives cluster-admin only
 * to the identity that created the cluster, so that is the one `admins` entry that needs no access
 * entry — not whoever deploys today. A cluster created before the tag existed has none: unknown.
 */
export async function recordedCreator(spec: Spec, region: string, clusterName: string, env: NodeJS.ProcessEnv = process.env, run: CommandRunner = runCommand): Promise<RecordedCreator> {
  const aws = findOnPath("aws", env) ?? "aws";
  const profileArgs = spec.provider.profile ? ["--profile", spec.provider.profile] : [];
  let described: string;
  try {
    described = await run(aws, ["eks", "describe-cluster", "--name", clusterName, "--output", "json", ...profileArgs, "--region", region], env);
  } catch (error) {
    if ((error as Error).message.includes("ResourceNotFoundException")) return { exists: false };
    throw new PreflightError(`cannot read the cluster ${clusterName} (aws eks describe-cluster: ${(error as Error).message})`, "grant these credentials eks:DescribeCluster, then run again: nothing has been changed");
  }
  const creatorArn = (JSON.parse(described) as { cluster?: { tags?: Record<string, string> } }).cluster?.tags?.[CREATOR_TAG];
  return creatorArn ? { exists: true, creatorArn } : { exists: true };
}

export function createsCluster(spec: Spec): boolean {
  return !spec.deployment.existingCluster && !spec.deployment.fromTerraformState?.outputs.cluster_name;
}

/**
 * For a cluster platinfra creates: the zones its network will use (zone IDs EKS accepts, as the
 * program picks them), each node group offered there, and enough vCPU quota (standard, GPU, Fargate). Every
 * shortfall is one line; nothing has been created yet.
 */
async function checkCapacity(spec: Spec, region: string, awsJson: (args: string[]) => Promise<Record<string, any>>): Promise<string[]> {
  const listed = (await awsJson(["ec2", "describe-availability-zones", "--filters", "Name=zone-type,Values=availability-zone", "Name=state,Values=available"])).AvailabilityZones as { ZoneName: string; ZoneId: string }[];
  const zones = eksZones(listed.map((zone) => zone.ZoneName), listed.map((zone) => zone.ZoneId));
  if (zones.length < 2) {
    throw new PreflightError(`${region} has ${zones.length} availability zone(s) whose zone IDs EKS accepts for a cluster, it needs 2`, "deploy to another region (provider.region)", "refused");
  }
  const types = [...new Set(spec.deployment.nodeGroups.flatMap((group) => group.instanceTypes))];
  const offerings = (await awsJson(["ec2", "describe-instance-type-offerings", "--location-type", "availability-zone", "--filters", `Name=instance-type,Values=${types.join(",")}`, `Name=location,Values=${zones.join(",")}`])).InstanceTypeOfferings as { InstanceType: string; Location: string }[];
  const offered = new Map<string, Set<string>>();
  for (const offering of offerings) offered.set(offering.Location, (offered.get(offering.Location) ?? new Set()).add(offering.InstanceType));
  const problems = unofferedGroups(spec.deployment.nodeGroups, zones, offered);
  problems.push(...(await quotaProblems(spec, region, awsJson)));
  if (problems.length > 0) {
    throw new PreflightError(problems.join("\n"), "fix each line above, then run again: nothing has been created");
  }
  return zones;
}

/** The vCPU quotas the spec needs (node groups' instances, GPU, Fargate), read from Service Quotas, compared with what it asks for. */
async function quotaProblems(spec: Spec, region: string, awsJson: (args: string[]) => Promise<Record<string, any>>): Promise<string[]> {
  const types = [...new Set(spec.deployment.nodeGroups.flatMap((group) => group.instanceTypes))];
  const batch = spec.tools.find((tool) => tool.name === "aws-batch")?.params as { instance_types?: string[]; gpu?: boolean } | undefined;
  if (batch?.gpu && batch.instance_types) types.push(...batch.instance_types.filter((type) => !types.includes(type)));
  const vcpus = new Map<string, number>();
  if (types.length > 0) {
    const described = (await awsJson(["ec2", "describe-instance-types", "--instance-types", ...types])).InstanceTypes as { InstanceType: string; VCpuInfo: { DefaultVCpus: number } }[];
    for (const type of described) vcpus.set(type.InstanceType, type.VCpuInfo.DefaultVCpus);
  }
  const needs = quotaNeeds(spec, (type) => vcpus.get(type) ?? 0);
  const values = new Map<string, number>();
  for (const { quota } of needs) {
    if (values.has(quota.code)) continue;
    const answer = await awsJson(["service-quotas", "get-service-quota", "--service-code", quota.service, "--quota-code", quota.code]);
    values.set(quota.code, Number(answer.Quota?.Value ?? 0));
  }
  return quotaShortfalls(needs, values, region);
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
    const login = profile
      ? `${shellCommand("aws", "sso", "login", "--profile", profile)} (or ${shellCommand("aws", "configure", "--profile", profile)})`
      : "aws configure, aws sso login, or export AWS_PROFILE";
    throw new PreflightError(`AWS credentials could not be resolved (aws sts get-caller-identity: ${reason})`, `sign in: ${login}`);
  }
  const identity = JSON.parse(output) as { Account?: string; Arn?: string };
  if (!identity.Account) throw new PreflightError(`aws sts get-caller-identity returned no account: ${output.trim()}`, "check the aws CLI's configuration");
  return { Account: identity.Account, Arn: identity.Arn ?? "unknown identity" };
}
