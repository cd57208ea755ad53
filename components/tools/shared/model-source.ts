import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ExitCode, PlatinfraError } from "../../../src/errors";
import type { PolicyStatement } from "../../base/policies";
import { createToolBucket } from "./bucket";
import type { ToolScope } from "./scope";
import type { ModelsSettings } from "./serving-params";
import type { DataBucket } from "./types";

type Container = k8s.types.input.core.v1.Container;
type Volume = k8s.types.input.core.v1.Volume;

/**
 * The AWS CLI that copies model files from S3 (aws/aws-cli git tag 2.36.7; its image's entrypoint
 * is `aws`). From ECR Public: pulls from AWS are not rate-limited like Docker Hub's anonymous ones.
 */
export const AWS_CLI_IMAGE = "public.ecr.aws/aws-cli/aws-cli:2.36.7";

/** The pod volume holding the synced model: written by the sync containers, read-only for the server. */
export const MODELS_VOLUME = "models";
/** Where the sync containers write the volume. */
const SYNC_PATH = "/models";
/**
 * The AWS CLI's home and temp folder: it caches the web identity's credentials under
 * ~/.aws/cli/cache (aws-cli 2.36.7 awscli/customizations/assumerole.py) and fails when it cannot.
 * As root with every capability dropped it may not write the image's /root either (Fedora-family
 * systems ship /root as 0550, and CAP_DAC_OVERRIDE is gone; not verified in the image); the root
 * filesystem is read-only here anyway: a small emptyDir.
 */
export const AWS_CLI_HOME_VOLUME = "aws-cli-home";
const AWS_CLI_HOME = "/aws-cli-home";
/** The image has no user of its own (it runs as root): the sync containers run as this one. */
export const SYNC_USER = 65532;

/** Where a server's model comes from, resolved: the bucket, the prefix, the pod's copy. */
export interface ModelSource {
  /** Whose bucket: "own" or the tool it belongs to. */
  from: string;
  bucket: DataBucket;
  prefix: string;
  /** `s3://<bucket>/<prefix>/`, the exact source of the sync. */
  uri: pulumi.Output<string>;
  mountPath: string;
  size: string;
  region: string;
}

/**
 * The bucket of `settings.from`: the tool's own models bucket (created here), or the data bucket of
 * the named tool, which the stack must have (validate says so first: `modelSourceCheck`).
 */
export function resolveModelSource(scope: ToolScope, settings: ModelsSettings): ModelSource {
  const bucket = settings.from === "own" ? ownModelsBucket(scope) : peerBucket(scope, settings.from);
  return {
    from: settings.from,
    bucket,
    prefix: settings.path,
    uri: pulumi.interpolate`s3://${bucket.name}/${settings.path}/`,
    mountPath: settings.mount_path,
    size: settings.size,
    region: scope.context.platform.region,
  };
}

function ownModelsBucket(scope: ToolScope): DataBucket {
  const bucket = createToolBucket(scope, "models");
  return { name: bucket.name, arn: bucket.arn };
}

function peerBucket(scope: ToolScope, tool: string): DataBucket {
  const bucket = scope.context.peers.get(tool)?.dataBuckets?.[0];
  if (!bucket) {
    throw new PlatinfraError("MODEL_SOURCE_MISSING", `${scope.name}: models.from is ${tool}, but the stack has no ${tool} — add ${tool} to the stack, or use from: own`, {
      exitCode: ExitCode.invalidInput,
    });
  }
  return bucket;
}

/**
 * Read access to exactly the model's prefix: listing only under it (the `s3:prefix` condition) and
 * reading only its objects. Nothing else of the bucket, and no write.
 */
export function modelReadStatements(source: ModelSource, sid = "Models"): PolicyStatement[] {
  return [
    { Sid: `${sid}List`, Effect: "Allow", Action: ["s3:ListBucket"], Resource: [source.bucket.arn], Condition: { StringLike: { "s3:prefix": [`${source.prefix}/*`] } } },
    { Sid: `${sid}Read`, Effect: "Allow", Action: ["s3:GetObject"], Resource: [pulumi.interpolate`${source.bucket.arn}/${source.prefix}/*`] },
  ];
}

/** The `aws s3 sync` arguments copying the prefix into the volume: quiet, deleting files gone from S3. */
export function syncArgs(source: ModelSource): pulumi.Input<string>[] {
  return ["s3", "sync", source.uri, SYNC_PATH, "--delete", "--only-show-errors", "--no-progress"];
}

/** The AWS CLI container's settings every sync container shares (image, region, volume, hardening). */
export function syncContainerBase(source: ModelSource): Omit<Container, "name"> {
  return {
    image: AWS_CLI_IMAGE,
    env: [
      { name: "AWS_REGION", value: source.region },
      { name: "HOME", value: AWS_CLI_HOME },
      { name: "TMPDIR", value: AWS_CLI_HOME },
    ],
    // Multipart downloads run 10 threads of 8 MiB parts: a few hundred MiB at most.
    resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "1", memory: "1Gi" } },
    // Non-root: the emptyDirs are world-writable, the copied files world-readable (umask 022) for the
    // server's user, and the web identity token is readable (mode 0644 unless every container runs
    // as one user, who then owns it).
    securityContext: {
      allowPrivilegeEscalation: false,
      capabilities: { drop: ["ALL"] },
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      runAsUser: SYNC_USER,
      runAsGroup: SYNC_USER,
    },
    volumeMounts: [
      { name: MODELS_VOLUME, mountPath: SYNC_PATH },
      { name: AWS_CLI_HOME_VOLUME, mountPath: AWS_CLI_HOME },
    ],
  };
}

/**
 * The init container copying the model before the server starts, as the pod's service account
 * (the EKS webhook gives every container the IRSA web identity, which the AWS CLI reads first).
 */
export function modelSyncInitContainer(source: ModelSource): Container {
  return { name: "model-sync", ...syncContainerBase(source), args: syncArgs(source) };
}

/** The pod's copy of the model: node disk, at most `size` (the kubelet evicts a pod past it). */
export function modelsVolume(source: ModelSource): Volume {
  return { name: MODELS_VOLUME, emptyDir: { sizeLimit: source.size } };
}

/** Every volume the sync containers need: the model's copy and the AWS CLI's home. */
export function syncVolumes(source: ModelSource): Volume[] {
  return [modelsVolume(source), { name: AWS_CLI_HOME_VOLUME, emptyDir: { sizeLimit: "64Mi" } }];
}

/** The server's read-only view of the model. */
export function modelsMount(source: ModelSource): k8s.types.input.core.v1.VolumeMount {
  return { name: MODELS_VOLUME, mountPath: source.mountPath, readOnly: true };
}
