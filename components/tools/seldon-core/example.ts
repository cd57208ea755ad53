import { stringify } from "yaml";

/**
 * The example Model of a stack and its request: the iris classifier on MLServer (Seldon's own
 * samples/models/sklearn-iris-gs.yaml, with the artifacts in the stack's models bucket), or, when
 * the stack runs no MLServer pods, the two-input TensorFlow `simple` model on Triton
 * (samples/models/tfsimple1.yaml). The agent writes MLServer's model-settings.json from the
 * requirements when the artifacts lack one (scheduler/pkg/agent/repository/mlserver/settings.go).
 */
interface ExampleKind {
  server: "mlserver" | "triton";
  model: string;
  requirements: string[];
  /** What to upload under s3://<bucket>/<prefix>/<model>/. */
  artifacts: string;
  /** An Open Inference Protocol (v2) request body. */
  request: Record<string, unknown>;
}

const SIXTEEN = Array.from({ length: 16 }, (_, index) => index + 1);

const EXAMPLES: Record<ExampleKind["server"], ExampleKind> = {
  mlserver: {
    server: "mlserver",
    model: "iris",
    requirements: ["sklearn"],
    artifacts: "a scikit-learn model saved with joblib as model.joblib",
    request: { inputs: [{ name: "predict", shape: [1, 4], datatype: "FP32", data: [[1, 2, 3, 4]] }] },
  },
  triton: {
    server: "triton",
    model: "tfsimple",
    requirements: ["tensorflow"],
    artifacts: "a Triton model repository entry: config.pbtxt and 1/model.savedmodel/ (Triton's docs/examples/model_repository/simple)",
    request: {
      inputs: ["INPUT0", "INPUT1"].map((name) => ({ name, shape: [1, 16], datatype: "INT32", data: SIXTEEN })),
    },
  },
};

/** The example for the servers a stack runs: MLServer's when it has pods, else Triton's. */
export function exampleKind(mlserverReplicas: number): ExampleKind {
  return mlserverReplicas > 0 ? EXAMPLES.mlserver : EXAMPLES.triton;
}

/** The Model resource (mlops.seldon.io/v1alpha1), in the runtime's namespace: the operator watches only that one. */
export function exampleModel(kind: ExampleKind, args: { namespace: string; bucket: string; prefix: string }): Record<string, unknown> {
  return {
    apiVersion: "mlops.seldon.io/v1alpha1",
    kind: "Model",
    metadata: { name: kind.model, namespace: args.namespace },
    spec: { storageUri: `s3://${args.bucket}/${args.prefix}/${kind.model}`, requirements: kind.requirements, memory: "100Ki" },
  };
}

/** The manifest as `kubectl apply -f -` reads it. */
export function exampleModelYaml(model: Record<string, unknown>): string {
  return stringify(model);
}

/**
 * A request to the Envoy mesh: the path names the model (Open Inference Protocol) and the
 * `Seldon-Model` header routes it (docs-gb/inference.md @v2.10.2).
 */
export function exampleRequest(kind: ExampleKind, endpoint: string): string {
  return `curl -s ${endpoint}/v2/models/${kind.model}/infer -H 'Content-Type: application/json' -H 'Seldon-Model: ${kind.model}' -d '${JSON.stringify(kind.request)}'`;
}
