import * as z from "zod";
import { serviceAccountSubject } from "../../base/naming";
import { databaseSchema, resourcesSchema } from "../shared/params";

/** Flyte project names as flyteadmin accepts them; each becomes `<project>-<domain>` namespaces (≤ 63 characters). */
const PROJECT = /^[a-z][a-z0-9-]{0,40}[a-z0-9]$/;

/** Flyte's default domains: every project gets one namespace per domain. */
export const DOMAINS = ["development", "staging", "production"] as const;

/** The `<project>-<domain>` namespaces flyteadmin's cluster resource controller creates and runs tasks in. */
export function projectNamespaces(projects: readonly string[]): string[] {
  return projects.flatMap((project) => DOMAINS.map((domain) => `${project}-${domain}`));
}

/** The service accounts the task role trusts: each project-domain namespace's `default`. */
export function taskSubjects(projects: readonly string[]): string[] {
  return projectNamespaces(projects).map((namespace) => serviceAccountSubject(namespace, "default"));
}

/** IAM's default quota for a role's trust policy, white space not counted (adjustable up to 4096). */
export const TRUST_POLICY_LIMIT = 2048;
/**
 * The task role's trust policy without its subjects, for the longest issuer an EKS cluster has
 * (aws-us-gov partition, 14-character region): the test measures it against `irsaTrustPolicy` of `taskSubjects`.
 */
export const TRUST_POLICY_BASE = 459;

/** The trust policy's size at most, as IAM counts it (compact JSON), for these projects. */
export function trustPolicySize(projects: readonly string[]): number {
  return TRUST_POLICY_BASE + JSON.stringify(taskSubjects(projects)).length;
}

export const flyteParams = z.strictObject({
  resources: resourcesSchema.optional(),
  projects: z
    .array(z.string().regex(PROJECT, { error: (issue) => `project "${issue.input}" is not allowed — use 2–42 lowercase letters, digits or "-", starting with a letter and not ending with "-"` }))
    .min(1)
    .refine((projects) => new Set(projects).size === projects.length, { error: "projects are listed twice — list each Flyte project once" })
    .refine((projects) => trustPolicySize(projects) <= TRUST_POLICY_LIMIT, {
      error: (issue) =>
        `these projects make the task role's trust policy ${trustPolicySize(issue.input as string[])} characters long; IAM allows ${TRUST_POLICY_LIMIT} — list fewer projects or shorter names (each project trusts 3 namespaces)`,
    })
    .default(["flytesnacks"])
    .describe("Flyte projects created at deploy time; only their task pods (namespaces <project>-development, -staging, -production) get the buckets through IRSA. Default: [flytesnacks]."),
  database: databaseSchema("The PostgreSQL database of flyteadmin and datacatalog on RDS."),
});

export type FlyteParams = z.output<typeof flyteParams>;
