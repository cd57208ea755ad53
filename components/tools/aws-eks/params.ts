import * as z from "zod";

/** aws-eks takes no params: the cluster is configured under `deployment`. */
export const awsEksParams = z.strictObject({});
