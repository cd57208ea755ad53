/** A stand-in RDS CA bundle: the program downloads the real one from AWS's truststore, which tests cannot reach. */
export const FAKE_RDS_CA = "-----BEGIN CERTIFICATE-----\nMIIFAKE\n-----END CERTIFICATE-----\n";

/**
 * Replaces `fetch` for AWS's RDS truststore URLs only (any other URL fails the test), recording
 * what was asked; returns the list of requested URLs and the function restoring the real fetch.
 */
export function stubRdsTruststore(answer: { status?: number; body?: string } = {}): { requested: string[]; restore(): void } {
  const real = globalThis.fetch;
  const requested: string[] = [];
  globalThis.fetch = (async (input: string | URL | Request) => {
    const url = String(input instanceof Request ? input.url : input);
    if (!url.startsWith("https://truststore.pki.rds.amazonaws.com/")) throw new Error(`unexpected fetch of ${url}`);
    requested.push(url);
    return new Response(answer.body ?? FAKE_RDS_CA, { status: answer.status ?? 200 });
  }) as typeof fetch;
  return { requested, restore: () => (globalThis.fetch = real) };
}
