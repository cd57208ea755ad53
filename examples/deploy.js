// Programmatic use of platinfra from a Node script: validate, preview, deploy, read outputs.
//   node examples/deploy.js examples/aws-mlops-stack.yaml [--up]
// Needs the Pulumi CLI and AWS credentials for the spec's account (see the README).
const { loadSpec, preview, up, outputs, render } = require("platinfra");

async function main() {
  const [file = "examples/aws-mlops-stack.yaml", action] = process.argv.slice(2);
  const spec = loadSpec(file); // throws a SpecError listing every problem
  const offline = await render(spec); // no cloud needed: the resources the stack would create
  console.log(`${spec.name}: ${offline.resources.length} resources`);

  const progress = {
    stack: "dev",
    onEvent: (event) => {
      const step = event.resourcePreEvent?.metadata;
      if (step && step.op !== "same") console.log(`${step.op} ${step.type} ${step.urn.split("::").pop()}`);
    },
    onNotice: (message) => console.error(message),
  };
  const plan = await preview(spec, progress);
  console.log("preview:", plan.changes);
  if (action !== "--up") return;
  const result = await up(spec, { ...progress, yes: true }); // --up is the confirmation
  console.log("up:", result.changes);
  const values = await outputs(spec, { stack: "dev" });
  console.log("tracking URI:", values.env?.value?.MLFLOW_TRACKING_URI);
}

main().catch((error) => {
  console.error(error.message);
  process.exit(error.exitCode ?? 1);
});
