/**
 * A demo Keycloak holding N generated events in one realm, in a process of its own so the benchmark measures
 * only realmwatch's memory. Prints {"url": ...} on stdout when ready; exits when stdin closes.
 */
import { parseArgs } from "node:util";
import { startDemoKeycloak } from "@/packages/demo-keycloak/src";

const { values } = parseArgs({
  options: {
    events: { type: "string", default: "1000000" },
    realm: { type: "string", default: "bench" },
    mode: { type: "string", default: "modern" },
    days: { type: "string", default: "7" },
  },
});
const n = Number(values.events);
const mode = values.mode === "legacy" ? "legacy" : "modern";
const demo = await startDemoKeycloak({ port: 0, traffic: false, mode, realms: [values.realm!], seed: 7 });
const end = Date.now() - 60_000;
demo.store.generateBulk(values.realm!, n, {
  startTime: end - Number(values.days) * 86_400_000,
  endTime: end,
  seed: 7,
  tiesEvery: 5,
});
process.stdout.write(
  `${JSON.stringify({ url: demo.url, events: demo.store.count(values.realm, "user") })}\n`,
);
process.stdin.resume();
process.stdin.on("end", () => void demo.close().then(() => process.exit(0)));
