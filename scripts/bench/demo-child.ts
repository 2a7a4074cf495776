/**
 * A demo Keycloak holding N generated events in one realm, in a process of its own so the benchmark measures
 * only realmwatch's memory. Prints {"url": ...} on stdout when ready; exits when stdin closes.
 * With --rate R it also records R new events per second as they happen (in batches every 100 ms, among the
 * same users), until a "stop" line on stdin, and then prints {"generated": <events recorded live>}.
 */
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { startDemoKeycloak } from "@/packages/demo-keycloak/src";

const { values } = parseArgs({
  options: {
    events: { type: "string", default: "1000000" },
    realm: { type: "string", default: "bench" },
    mode: { type: "string", default: "modern" },
    days: { type: "string", default: "7" },
    rate: { type: "string", default: "0" },
  },
});
const n = Number(values.events);
const rate = Number(values.rate);
const realm = values.realm!;
const mode = values.mode === "legacy" ? "legacy" : "modern";
const demo = await startDemoKeycloak({ port: 0, traffic: false, mode, realms: [realm], seed: 7 });
const end = Date.now() - 60_000;
if (n > 0)
  demo.store.generateBulk(realm, n, {
    startTime: end - Number(values.days) * 86_400_000,
    endTime: end,
    seed: 7,
    tiesEvery: 5,
  });

let generated = 0;
let live: NodeJS.Timeout | undefined;
if (rate > 0) {
  let last = Date.now();
  let tick = 0;
  live = setInterval(() => {
    const now = Date.now();
    // Events due since the last batch, spread over [last, now): Keycloak records each as its request ends.
    const due = Math.round((rate * (now - last)) / 1000);
    if (due === 0) return;
    demo.store.generateBulk(realm, due, {
      startTime: last,
      endTime: now - 1,
      seed: 7,
      eventSeed: 1_000 + tick++,
    });
    generated += due;
    last = now;
  }, 100);
}
process.stdout.write(`${JSON.stringify({ url: demo.url, events: demo.store.count(realm, "user") })}\n`);
createInterface({ input: process.stdin }).on("line", (line) => {
  if (line.trim() !== "stop") return;
  clearInterval(live);
  process.stdout.write(`${JSON.stringify({ generated })}\n`);
});
process.stdin.on("end", () => void demo.close().then(() => process.exit(0)));
