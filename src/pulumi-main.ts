/**
 * Entry point for the plain `pulumi` CLI (see Pulumi.yaml): the same program `platinfra up` runs,
 * with the spec's path in the `platinfra:spec` config value.
 */
import * as pulumi from "@pulumi/pulumi";
import { requireDeployInputs } from "./deploy-inputs";
import { formatProblem, PlatinfraError, SpecError } from "./errors";
import { stackProgram } from "./program";
import { loadSpec } from "./spec/validate";

function main() {
  const config = new pulumi.Config("platinfra");
  let spec;
  try {
    spec = loadSpec(config.require("spec"));
  } catch (error) {
    if (error instanceof SpecError) throw new pulumi.RunError(error.problems.map(formatProblem).join("\n"));
    throw error;
  }
  const region = spec.provider.region ?? new pulumi.Config("aws").get("region") ?? process.env.AWS_REGION;
  if (!region) throw new pulumi.RunError("no AWS region: set provider.region in the spec, or pulumi config set aws:region <region>");
  let deployInputs;
  try {
    deployInputs = requireDeployInputs(spec, process.env);
  } catch (error) {
    if (error instanceof PlatinfraError) throw new pulumi.RunError([error.message, ...error.hints].join("\n"));
    throw error;
  }
  return stackProgram(spec, { environment: pulumi.getStack(), region, deployInputs })();
}

export = main;
