import type { StackCheck } from "../../../src/catalog/checks";

/* Checks across bentoml's params, roles and the deployment, run by `validate`. No schema here: building one costs start-up time. */
/** Serving needs an image: only known once the roles are (a schema sees the params alone). */
export const bentomlChecks: StackCheck = ({ params, roles }) =>
  roles.includes("model_serving") && !params.image
    ? [{ role: "model_serving", message: "bentoml is listed under model_serving but has no image to serve — write it as - bentoml: {image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/ml-bentoml:summarizer-v1} (the bento's container image: bentoml containerize, pushed to the bentoml ECR repository)" }]
    : [];
