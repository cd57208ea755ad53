import type { ClearmlUrls } from "./values";

/** Generated passwords are alphanumeric: safe inside a HOCON quoted string. */
interface FixedUser {
  username: string;
  password: string;
}

/**
 * The API server's `apiserver.conf` (its file name is the config's top-level key): fixed users
 * only. The web login then accepts just these users, and the server revokes the credentials the
 * web app would use to create accounts for any name typed in (`revoke_in_fixed_mode`), so nobody
 * signs up. The SDK may log in with a user's name and password as its key and secret.
 */
export function serverConfig(users: FixedUser[]): string {
  const entries = users.map((user) => `      { username: "${user.username}", password: "${user.password}", name: "${user.username}" }`);
  return ["auth {", "  fixed_users {", "    enabled: true", "    pass_hashed: false", "    users: [", ...entries, "    ]", "  }", "}", ""].join("\n");
}

/**
 * A `clearml.conf` for the SDK. S3 goes through boto3's default credential chain (the IRSA web
 * identity in a pod): the SDK raises "Missing key and secret" without `use_credentials_chain`,
 * which no environment variable sets. Models and artifacts go to the bucket; debug samples stay on
 * the file server, whose URLs the web UI can show (it cannot sign s3:// URLs without static keys).
 */
export function clientConfig(args: { urls: ClearmlUrls; credentials?: { accessKey: string; secretKey: string }; region: string; outputUri: string }): string {
  const { urls } = args;
  const credentials = args.credentials ? [`  credentials { access_key: "${args.credentials.accessKey}", secret_key: "${args.credentials.secretKey}" }`] : [];
  return [
    "api {",
    `  api_server: "${urls.api}"`,
    `  web_server: "${urls.web}"`,
    `  files_server: "${urls.files}"`,
    ...credentials,
    "}",
    "sdk {",
    `  aws { s3 { use_credentials_chain: true, region: "${args.region}" } }`,
    `  development { default_output_uri: "${args.outputUri}" }`,
    "}",
    "",
  ].join("\n");
}
