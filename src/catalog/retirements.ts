import type { Category } from "./categories";

/**
 * Why a tool the catalog knows can no longer be deployed, and what takes over each of its roles.
 * `validate` refuses a retired tool with this (an error, not a warning: there is nothing to wait for).
 */
export interface Retirement {
  /** The date the upstream stopped (ISO, YYYY-MM-DD). */
  since: string;
  /** What happened, in one sentence a user can check at `source`. */
  reason: string;
  /** A public page stating it. */
  source: string;
  /** For every role of the tool, catalog tools that take it over, preferred first. */
  replacements: Partial<Record<Category, string[]>>;
}

/** neptune.ai: the service shut down and deleted its data; self-hosted Neptune was never a public release. */
export const NEPTUNE_RETIREMENT: Retirement = {
  since: "2026-03-05",
  reason:
    "the neptune.ai service shut down and deleted its data after Neptune's acquisition by OpenAI (announced 2025-12-03), and self-hosted Neptune only ever came with a licence and registry credentials from Neptune, so there is nothing left to deploy or log to",
  source: "https://docs-legacy.neptune.ai/about",
  replacements: {
    data_versioning: ["dvc", "lakefs", "pachyderm"],
    experiment_tracker: ["mlflow", "wandb", "clearml"],
    artifact_tracker: ["mlflow", "wandb", "clearml"],
    model_registry: ["mlflow"],
    monitoring: ["mlflow", "prometheus", "grafana"],
    alerting: ["prometheus", "grafana"],
  },
};

/** Weave Scope: archived upstream, and unsafe by design on a shared cluster (see the issue 14 note). */
export const WEAVE_SCOPE_RETIREMENT: Retirement = {
  since: "2023-06-13",
  reason:
    "Weave Scope is unmaintained: its repository was marked deprecated and Weaveworks closed in 2024; its last release, v1.13.2 (2021-04, Go 1.16), runs a privileged probe on every node that reads the Docker socket, which EKS nodes no longer have, and its UI gives anyone who reaches it exec and delete on every container",
  source: "https://github.com/weaveworks/scope/pull/3917",
  replacements: {
    monitoring: ["prometheus", "grafana"],
    alerting: ["prometheus", "grafana"],
  },
};

/** How a replacement is shown: whether the stack already has it, whether it can be deployed yet. */
export interface ReplacementFacts {
  inStack: (tool: string) => boolean;
  deployable: (tool: string) => boolean;
}

/** "mlflow (already in this stack), wandb or clearml (not deployable yet)". */
export function replacementList(tools: string[], facts: ReplacementFacts): string {
  const shown = tools.map((tool) => {
    if (facts.inStack(tool)) return `${tool} (already in this stack)`;
    return facts.deployable(tool) ? tool : `${tool} (not deployable yet)`;
  });
  return shown.length <= 1 ? shown.join("") : `${shown.slice(0, -1).join(", ")} or ${shown[shown.length - 1]}`;
}

/** "as monitoring, use prometheus or grafana" for one role, "; "-joined over several. */
export function replacementsByRole(retirement: Retirement, roles: Category[], facts: ReplacementFacts): string {
  return roles.map((role) => `as ${role}, use ${replacementList(retirement.replacements[role] ?? [], facts)}`).join("; ");
}

/** A retired tool refused outside a spec (`init --tools`): the reason and the replacements for every role. */
export function retiredToolSummary(name: string, retirement: Retirement, roles: Category[], facts: ReplacementFacts): string {
  return `${name} is retired since ${retirement.since}: ${retirement.reason} (${retirement.source}) — ${replacementsByRole(retirement, roles, facts)}`;
}

/**
 * The error on one listing of a retired tool. The first listing carries the reason; the others
 * point to it, so a tool listed under three roles does not repeat a paragraph three times.
 */
export function retiredToolMessage(
  name: string,
  retirement: Retirement,
  role: Category,
  facts: ReplacementFacts,
  reasonAt?: string,
): string {
  const why = reasonAt === undefined ? ` since ${retirement.since}: ${retirement.reason} (${retirement.source})` : ` (reason at ${reasonAt})`;
  return `${name} is retired${why} — ${replacementsByRole(retirement, [role], facts)} instead`;
}
