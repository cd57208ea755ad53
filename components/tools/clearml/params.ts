import * as z from "zod";
import { exposeSchema, resourcesSchema } from "../shared/params";

const USERNAME = /^[a-z][a-z0-9_.-]{2,31}$/;
const usernameError = (input: unknown) => `user name ${JSON.stringify(input)} is not allowed — use 3–32 lowercase letters, digits, ".", "_" or "-", starting with a letter`;
const username = z.string().regex(USERNAME, { error: (issue) => usernameError(issue.input) });

/** A persistent volume's size in GiB: gp3 allows 1 GiB to 16 TiB. */
const volumeGb = (what: string, fallback: number) =>
  z.number().int().min(1).max(16384).default(fallback).describe(`${what}, in GiB. Default: ${fallback} (the chart's).`);

export const clearmlParams = z
  .strictObject({
    expose: exposeSchema.optional(),
    admin_username: username.default("admin").describe("The first fixed user: ClearML's login for the web UI, and the SDK's access key (its password is the secret key). Default: admin."),
    users: z
      .array(username)
      .max(50)
      .default([])
      .describe("More fixed users, each with a generated password (ClearML never offers sign-up here: only these users and the admin log in). Default: none."),
    resources: resourcesSchema.optional().describe("CPU and memory of the API server (and of its async-delete worker, which the chart sizes alike)."),
    storage: z
      .strictObject({
        files_gb: volumeGb("The file server's volume (debug samples, plots, files uploaded to the files server)", 50),
        mongodb_gb: volumeGb("MongoDB's volume (projects, tasks, models, users)", 50),
        elasticsearch_gb: volumeGb("Elasticsearch's volume (metrics, logs, events), fixed at the first deployment: its StatefulSet's claim cannot change later", 50),
      })
      .prefault({})
      .describe("The encrypted gp3 volumes of ClearML's stores."),
  })
  .check((context) => {
    const { admin_username: admin, users } = context.value;
    users.forEach((user, index) => {
      if (user === admin || users.indexOf(user) !== index) {
        context.issues.push({ code: "custom", input: user, path: ["users", index], message: `user "${user}" is listed twice (admin_username counts) — ClearML refuses to start with duplicate fixed users; remove one` });
      }
    });
  });

export type ClearmlParams = z.output<typeof clearmlParams>;
