import type { AlibiParams } from "./params";

/**
 * The drift check the CronJob runs: Alibi Detect is a library with no CLI, so platinfra ships this
 * small script (in the job's ConfigMap) and its settings as JSON beside it. Pure, so both are tested
 * as plain values.
 */

export interface RunnerConfig {
  reference_data: string;
  analysis_data: string;
  /** Ends in "/": each run writes <YYYY>/<MM>/<DD>/<HHMM>/drift.json under it, and latest.json. */
  results_location: string;
  detector: AlibiParams["detector"];
  /** Empty: every column of the reference data. */
  features: string[];
  categorical: string[];
  p_val: number;
  correction: AlibiParams["correction"];
}

export function runnerConfig(params: AlibiParams, locations: { referenceData: string; analysisData: string; resultsLocation: string }): RunnerConfig {
  return {
    reference_data: locations.referenceData,
    analysis_data: locations.analysisData,
    results_location: locations.resultsLocation,
    detector: params.detector,
    features: params.features,
    categorical: params.categorical,
    p_val: params.p_val,
    correction: params.correction,
  };
}

/**
 * One check: both files read whole from S3 (boto3, with the pod's IRSA role), the detector fitted on
 * the reference and run once on the analysis data (`predict(x, drift_type="batch")`, alibi_detect
 * 0.12.0 cd/base.py BaseUnivariateDrift: `data.is_drift`, per-feature `p_val` and `distance`, the
 * corrected `threshold`). Categorical columns become codes of the reference's categories (unseen
 * values: -1), so every detector gets numbers; other text columns stop the run with a message naming them
 * and the param to set. The verdict goes to S3 and, one line, to the log.
 */
export const DETECT_SCRIPT = `"""platinfra: one Alibi Detect drift check of analysis data against reference data, results to S3."""
import datetime
import io
import json
import sys

import boto3
import numpy as np
import pandas as pd
from alibi_detect.cd import CVMDrift, KSDrift, TabularDrift
from alibi_detect.version import __version__

DETECTORS = {"tabular": TabularDrift, "ks": KSDrift, "cvm": CVMDrift}


def split(uri):
    bucket, _, key = uri[len("s3://"):].partition("/")
    return bucket, key


def read(s3, uri):
    bucket, key = split(uri)
    body = io.BytesIO(s3.get_object(Bucket=bucket, Key=key)["Body"].read())
    return pd.read_csv(body) if key.endswith(".csv") else pd.read_parquet(body)


def as_numbers(reference, analysis, features, categorical):
    ref, cur = reference[features].copy(), analysis[features].copy()
    for column in categorical:
        categories = pd.Categorical(ref[column]).categories
        ref[column] = pd.Categorical(ref[column], categories=categories).codes
        cur[column] = pd.Categorical(cur[column], categories=categories).codes
    return ref.to_numpy(dtype=np.float64), cur.to_numpy(dtype=np.float64)


def main(config_path):
    with open(config_path) as file:
        config = json.load(file)
    s3 = boto3.client("s3")
    reference = read(s3, config["reference_data"])
    analysis = read(s3, config["analysis_data"])
    features = config["features"] or list(reference.columns)
    missing = sorted({c for c in features if c not in reference.columns or c not in analysis.columns})
    if missing:
        sys.exit("columns missing from the reference or analysis data: " + ", ".join(missing))
    text = [c for c in features if c not in config["categorical"] and not pd.api.types.is_numeric_dtype(reference[c])]
    if text:
        sys.exit("columns that are not numbers: " + ", ".join(text) + " - list them in params.categorical (detector: tabular), or name the numeric ones in params.features")
    x_ref, x = as_numbers(reference, analysis, features, config["categorical"])
    options = {"p_val": config["p_val"], "correction": config["correction"]}
    if config["detector"] == "tabular":
        options["categories_per_feature"] = {features.index(c): None for c in config["categorical"]}
    detector = DETECTORS[config["detector"]](x_ref, **options)
    data = detector.predict(x, drift_type="batch", return_p_val=True, return_distance=True)["data"]
    now = datetime.datetime.now(datetime.timezone.utc)
    result = {
        "time": now.isoformat(timespec="seconds"),
        "alibi_detect": __version__,
        "detector": config["detector"],
        "reference_data": config["reference_data"],
        "analysis_data": config["analysis_data"],
        "rows": {"reference": len(reference), "analysis": len(analysis)},
        "is_drift": bool(data["is_drift"]),
        "correction": config["correction"],
        "threshold": float(data["threshold"]),
        "features": {
            name: {"p_val": float(data["p_val"][i]), "distance": float(data["distance"][i]), "is_drift": bool(data["p_val"][i] < config["p_val"])}
            for i, name in enumerate(features)
        },
    }
    body = json.dumps(result, indent=2).encode()
    bucket, prefix = split(config["results_location"])
    run_key = prefix + now.strftime("%Y/%m/%d/%H%M") + "/drift.json"
    for key in (run_key, prefix + "latest.json"):
        s3.put_object(Bucket=bucket, Key=key, Body=body, ContentType="application/json")
    print(json.dumps({"is_drift": result["is_drift"], "drifted": [n for n, f in result["features"].items() if f["is_drift"]], "result": "s3://" + bucket + "/" + run_key}))


if __name__ == "__main__":
    main(sys.argv[1])
`;
