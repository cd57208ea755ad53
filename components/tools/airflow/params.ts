import * as z from "zod";
import { databaseSchema, exposeSchema, replicasSchema, resourcesSchema } from "../shared/params";

const GIT_REPO = /^(https:\/\/[^\s@]+|git@[^\s:]+:[^\s]+)$/;
const GIT_BRANCH = /^[A-Za-z0-9._\/-]{1,200}$/;
const SUB_PATH = /^[A-Za-z0-9._\-][A-Za-z0-9._\/-]*$/;

export const gitDagsSchema = z
  .strictObject({
    repo: z
      .string()
      .regex(GIT_REPO, { error: (issue) => `repo ${JSON.stringify(issue.input)} is not a git URL without credentials — expected e.g. https://github.com/my-org/dags.git` })
      .describe("The git repository holding the DAGs (public over HTTPS; private repositories need credentials platinfra does not set up yet)."),
    branch: z
      .string()
      .regex(GIT_BRANCH, { error: (issue) => `branch ${JSON.stringify(issue.input)} is not a branch name` })
      .default("main")
      .describe("The branch to follow. Default: main."),
    sub_path: z
      .string()
      .regex(SUB_PATH, { error: (issue) => `sub_path ${JSON.stringify(issue.input)} is not a relative folder — expected e.g. dags` })
      .optional()
      .describe("The folder of the repository holding the DAGs. Default: the repository root."),
  })
  .describe("DAGs synced from git by git-sync into the DAG processor, scheduler and task pods. Default: none (no DAGs).");

export const airflowParams = z.strictObject({
  replicas: replicasSchema(1).describe("API server (UI and REST API) replicas. Default: 1."),
  resources: resourcesSchema.optional().describe("CPU and memory of the API server, scheduler, DAG processor and triggerer, each."),
  // Airflow's FAB login is always on: exposing is allowed, behind the admin login created at deploy time.
  expose: exposeSchema.optional(),
  dags: gitDagsSchema.optional(),
  database: databaseSchema("Airflow's metadata database: PostgreSQL on RDS."),
});

export type AirflowParams = z.output<typeof airflowParams>;
