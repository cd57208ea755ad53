/**
 * luigi.cfg files: the scheduler's own, and the one clients use. Pure, so they are tested as plain
 * functions. The scheduler's file holds no secret: luigi's config parser substitutes `${VAR}` from
 * the environment (EnvironmentInterpolation, luigi/configuration/cfg_parser.py), after its `%`
 * interpolation — so a URL-escaped password (`%40`…) in the variable reaches SQLAlchemy intact.
 */

/** The variable holding the task history database URL, from the synced database Secret. */
export const TASK_HISTORY_URL_ENV = "LUIGI_TASK_HISTORY_DB";

/** The scheduler's luigi.cfg: task history recorded in the database named by the environment, or not at all. */
export function schedulerConfig(taskHistory: boolean): string {
  if (!taskHistory) return "[scheduler]\nrecord_task_history = False\n";
  return `[scheduler]\nrecord_task_history = True\n\n[task_history]\ndb_connection = \${${TASK_HISTORY_URL_ENV}}\n`;
}

/**
 * A client's luigi.cfg pointing its workers at the scheduler (`[core] scheduler_url`, luigi/interface.py;
 * luigi reads no environment variable for it): saved as luigi.cfg or named by LUIGI_CONFIG_PATH.
 */
export function clientConfig(schedulerUrl: string): string {
  return `[core]\nscheduler_url = ${schedulerUrl}\n`;
}
