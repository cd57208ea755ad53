/** The roles a tool can play in a stack, in the order the spec and the README list them. */
export const CATEGORIES = [
  "data_versioning",
  "experiment_tracker",
  "pipelining",
  "orchestrator",
  "runtime_engine",
  "artifact_tracker",
  "model_registry",
  "model_serving",
  "monitoring",
  "alerting",
] as const;

export type Category = (typeof CATEGORIES)[number];

export function isCategory(value: string): value is Category {
  return (CATEGORIES as readonly string[]).includes(value);
}
