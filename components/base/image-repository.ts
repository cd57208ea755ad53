import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";

/** Untagged images (failed or superseded pushes) expire after this many days. */
export const UNTAGGED_IMAGE_DAYS = 14;

export interface ImageRepositoryArgs {
  /** The repository's physical name (derived, within NAME_LIMITS.ecrRepository). */
  repositoryName: string;
  /** Let destroy delete a repository that still holds images: only when the spec asks for it. */
  forceDelete: boolean;
  /** Keep only this many newest images. @default every tagged image is kept */
  keepImages?: number;
  /**
   * Let a tag move to a new image: for tools that re-push the same tag on every build and run
   * by digest (ZenML). @default immutable tags: a tag always names the same image
   */
  mutableTags?: boolean;
}

/**
 * An ECR repository as images should be kept: tags immutable unless asked (a tag always names the
 * same image), scanned on push, encrypted, untagged images expiring; plus its lifecycle policy.
 */
export function createImageRepository(name: string, args: ImageRepositoryArgs, opts: pulumi.CustomResourceOptions): aws.ecr.Repository {
  const repository = new aws.ecr.Repository(
    name,
    {
      name: args.repositoryName,
      imageTagMutability: args.mutableTags ? "MUTABLE" : "IMMUTABLE",
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfigurations: [{ encryptionType: "AES256" }],
      forceDelete: args.forceDelete,
    },
    opts,
  );
  new aws.ecr.LifecyclePolicy(`${name}-lifecycle`, { repository: repository.name, policy: JSON.stringify(imageLifecyclePolicy(args.keepImages)) }, opts);
  return repository;
}

/** Untagged images expire after UNTAGGED_IMAGE_DAYS; with `keepImages`, only the newest that many stay. */
export function imageLifecyclePolicy(keepImages?: number) {
  const untagged = {
    rulePriority: 1,
    description: `Expire untagged images after ${UNTAGGED_IMAGE_DAYS} days`,
    selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: UNTAGGED_IMAGE_DAYS },
    action: { type: "expire" },
  };
  if (keepImages === undefined) return { rules: [untagged] };
  const newest = {
    rulePriority: 2,
    description: `Keep the ${keepImages} newest images`,
    selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: keepImages },
    action: { type: "expire" },
  };
  return { rules: [untagged, newest] };
}
