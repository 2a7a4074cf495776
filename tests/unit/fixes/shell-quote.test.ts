import { describe, expect, it } from "vitest";
import { shellQuote } from "@/lib/fixes/shell-quote";
import { readShellWord } from "./shell-words";

describe("shellQuote", () => {
  it("leaves ordinary names bare so commands stay readable", () => {
    expect(shellQuote("acme")).toBe("acme");
    expect(shellQuote("https://kc.example.com/realms/acme")).toBe("https://kc.example.com/realms/acme");
    expect(shellQuote("orders:read")).toBe("orders:read");
  });

  it.each([
    "x'; rm -rf ~ #",
    "$(id)",
    "`id`",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the shell syntax is the point
    "${HOME}",
    "a b",
    "it's",
    "<realm>",
    "a\\b",
    "*",
    "",
    "'",
    "''",
  ])("quotes %j so the shell reads it back unchanged", (value) => {
    const quoted = shellQuote(value);
    expect(readShellWord(quoted)).toBe(value);
  });
});
