/** Tags every AWS resource of a stack carries, through the providers' default tags. */
export function stackTags(stackName: string, environment: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    ...extra,
    "platinfra:stack": stackName,
    "platinfra:environment": environment,
    "managed-by": "platinfra",
  };
}

/** The stack's tags plus the tool a resource belongs to. */
export function toolTags(base: Record<string, string>, tool: string): Record<string, string> {
  return { ...base, "platinfra:tool": tool };
}
