import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** One event as someone posted it in a public issue thread (README.md here says which and why). */
export interface KeycloakSample {
  source_url: string;
  format: "jboss-log" | "rest-json";
  keycloak_version: string | null;
  raw: string;
}

/** The real Keycloak event samples kept with the tests, in file order. */
export function readKeycloakSamples(): KeycloakSample[] {
  return readFileSync(
    fileURLToPath(
      new URL("../tests/fixtures/keycloak-samples/keycloak-event-samples.jsonl", import.meta.url),
    ),
    "utf8",
  )
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as KeycloakSample);
}
