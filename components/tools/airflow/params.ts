import * as z from "zod";
import { exposeSchema, replicasSchema, resourcesSchema } from "../shared/params";

const INSTANCE_CLASS = /^db\.[a-z0-9]+\.[a-z0-9]+$/;

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
  database: z
    .strictObject({
      instance_class: z
        .string()
        .regex(INSTANCE_CLASS, { error: (issue) => `"${issue.input}" is not an RDS instance class — expected e.g. db.t4g.small` })
        .default("db.t4g.small")
        .describe("RDS instance class of the PostgreSQL metadata database. Default: db.t4g.small."),
      storage_gb: z.number().int().min(20).max(65536).default(20).describe("Storage allocated at creation, in GiB (it grows on its own). Default: 20."),
    })
    .prefault({})
    .describe("Airflow's metadata database: PostgreSQL on RDS."),
});

export type AirflowParams = z.output<typeof airflowParams>;
