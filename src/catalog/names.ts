/**
 * Tool names are matched case-insensitively, with "-", "_" and spaces equivalent:
 * "nvidia_triton", "NVIDIA Triton" and "nvidia-triton" are one name.
 */
export function normalizeToolName(raw: string): string {
  return raw
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, "-");
}
