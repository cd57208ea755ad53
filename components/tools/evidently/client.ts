/**
 * How a user sends reports to this stack's Evidently, with the evidently 0.7.21 client API
 * (src/evidently/ui/workspace.py: `RemoteWorkspace(base_url, secret=…)`, `create_project(name)`,
 * `search_project(name)`, `add_run(project_id, run, include_data=False)`; src/evidently/core/report.py:
 * `Report(metrics).run(current_data, reference_data)`). Pure, so it is tested as a plain function.
 */

/** The client version that speaks the server's API: the server's own. */
export function clientInstall(version: string): string {
  return `pip install evidently==${version}`;
}

/**
 * A Python script that evaluates two DataFrames for drift and uploads the result to the workspace.
 * The URL and the secret come from the environment (EVIDENTLY_URL, EVIDENTLY_SECRET): in a pod,
 * the in-cluster URL and the Secret's key; on a laptop, the port-forward and `secretCommand`.
 */
export function sendReportSnippet(project: string): string {
  return [
    "import os",
    "import pandas as pd",
    "from evidently import Report",
    "from evidently.presets import DataDriftPreset",
    "from evidently.ui.workspace import RemoteWorkspace",
    "",
    '# The secret guards writes (sent as the evidently-secret header); reads need none.',
    'ws = RemoteWorkspace(os.environ["EVIDENTLY_URL"], secret=os.environ["EVIDENTLY_SECRET"])',
    `found = ws.search_project(${JSON.stringify(project)})`,
    `project = found[0] if found else ws.create_project(${JSON.stringify(project)})`,
    'reference = pd.read_parquet("reference.parquet")',
    'current = pd.read_parquet("current.parquet")',
    "run = Report([DataDriftPreset()]).run(current_data=current, reference_data=reference)",
    "ws.add_run(project.id, run, include_data=False)",
    "",
  ].join("\n");
}
