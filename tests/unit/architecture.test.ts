import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The floor plan the README's architecture section draws, checked against every import: a file may import from its
 * own layer or one below, never from a layer above; nothing in lib or app imports the demo Keycloak or the test kit;
 * no two folders import each other in a circle.
 */
const LAYERS: Record<string, number> = {
  "lib/server": 1,
  "lib/db": 1,
  "lib/time": 1,
  "lib/keycloak": 2,
  "lib/logs": 2,
  "lib/analytics": 3,
  "lib/auth": 2,
  "lib/classify": 3,
  "lib/queries": 4,
  "lib/sources": 4,
  "lib/ingest": 5,
  "lib/patterns": 5,
  "lib/diagnose": 5,
  "lib/fixes": 5,
  "lib/alerts": 5,
  "lib/retention": 5,
  "lib/metrics": 5,
  "lib/screens": 6,
  "lib/jobs.ts": 6,
  app: 7,
};

const ROOT = path.resolve(import.meta.dirname, "../..");

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) {
      if (entry.name !== "generated" && entry.name !== "node_modules") out.push(...sourceFiles(rel));
    } else if (/\.(ts|tsx)$/.test(entry.name) && !entry.name.endsWith(".d.ts")) out.push(rel);
  }
  return out;
}

/** The repository path an import names, without extension: `@/lib/x` and relative specifiers; packages are null. */
function target(file: string, spec: string): string | null {
  if (spec.startsWith("@/")) return spec.slice(2);
  if (spec.startsWith(".")) return path.posix.normalize(path.posix.join(path.posix.dirname(file), spec));
  return null;
}

/** The folder of the plan a path belongs to (its layer's key), or null outside lib and app. */
function room(p: string): string | null {
  if (p === "lib/jobs" || p === "lib/jobs.ts") return "lib/jobs.ts";
  const [top, second] = p.split("/");
  if (top === "app") return "app";
  if (top === "lib" && second) return `lib/${second.replace(/\.tsx?$/, "")}`;
  return null;
}

const IMPORT =
  /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

function edges(): { from: string; to: string }[] {
  const out: { from: string; to: string }[] = [];
  for (const file of [...sourceFiles("lib"), ...sourceFiles("app")]) {
    const text = readFileSync(path.join(ROOT, file), "utf8");
    for (const m of text.matchAll(IMPORT)) {
      const spec = m[1] ?? m[2];
      if (!spec) continue;
      const to = target(file, spec);
      if (to) out.push({ from: file, to });
    }
  }
  return out;
}

describe("the floor plan", () => {
  const all = edges();

  it("knows the layer of every folder in lib", () => {
    const unknown = [...new Set(sourceFiles("lib").map((f) => room(f)))].filter((r) => r && !(r in LAYERS));
    expect(unknown).toEqual([]);
  });

  it("has no import from lib or app into the demo Keycloak, the test kit or the tests", () => {
    const bad = all.filter((e) => /^(packages\/demo-keycloak|testkit|tests)\//.test(e.to));
    expect(bad.map((e) => `${e.from} -> ${e.to}`)).toEqual([]);
  });

  it("has no import that runs up a layer", () => {
    const bad = all.filter((e) => {
      const from = room(e.from);
      const to = room(e.to);
      if (!from || !to) return false;
      return (LAYERS[to] ?? 0) > (LAYERS[from] ?? 0);
    });
    expect(bad.map((e) => `${e.from} -> ${e.to}`)).toEqual([]);
  });

  it("has no circle between folders", () => {
    const graph = new Map<string, Set<string>>();
    for (const e of all) {
      const from = room(e.from);
      const to = room(e.to);
      if (!from || !to || from === to) continue;
      if (!graph.has(from)) graph.set(from, new Set());
      graph.get(from)?.add(to);
    }
    const circles: string[] = [];
    const state = new Map<string, "open" | "done">();
    const walk = (node: string, trail: string[]) => {
      state.set(node, "open");
      for (const next of graph.get(node) ?? []) {
        if (state.get(next) === "open")
          circles.push([...trail.slice(trail.indexOf(next)), next].join(" -> "));
        else if (!state.has(next)) walk(next, [...trail, next]);
      }
      state.set(node, "done");
    };
    for (const node of graph.keys()) if (!state.has(node)) walk(node, [node]);
    expect(circles).toEqual([]);
  });
});
