/**
 * Errors name the option the caller actually wrote: `--yes` on the command line, `yes` in the
 * library. The CLI passes `vocabulary: "cli"`; library callers get option names.
 */
export type OptionName = "yes" | "target" | "installPulumi" | "adopt" | "skipPreview" | "confirm" | "backend" | "stack";
export type Vocabulary = "library" | "cli";

const FLAGS: Record<OptionName, string> = {
  yes: "--yes",
  target: "--target",
  installPulumi: "--install-pulumi",
  adopt: "--adopt",
  skipPreview: "--skip-preview",
  confirm: "a terminal",
  backend: "--backend",
  stack: "--stack",
};

const OPTIONS: Record<OptionName, string> = {
  yes: "yes: true",
  target: "target",
  installPulumi: "installPulumi: true",
  adopt: "adopt: true",
  skipPreview: "skipPreview",
  confirm: "a confirm callback",
  backend: "backend",
  stack: "stack",
};

export function optionName(name: OptionName, vocabulary: Vocabulary = "library"): string {
  return (vocabulary === "cli" ? FLAGS : OPTIONS)[name];
}
