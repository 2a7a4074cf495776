import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { IdentText } from "@/app/_components/ident";

const html = (text: string | null) => renderToStaticMarkup(createElement(IdentText, { text }));
const plain = (markup: string) => markup.replace(/<[^>]+>/g, "").replaceAll("&quot;", '"');

describe("IdentText", () => {
  it("lets a long identifier in free text wrap at its separators only", () => {
    const text = 'USER_DISABLED_BY_TEMPORARY_LOCKOUT with reason "brute_force_attack_detected"';
    const out = html(text);
    expect(plain(out)).toBe(text);
    expect(out).toContain('<span class="ident"><span>USER_<wbr/></span><span>DISABLED_<wbr/></span>');
    expect(out.match(/<wbr\/>/g)?.length).toBe(7);
    // Short words and words without a separator stay as they are.
    expect(out).toContain(" with reason ");
  });

  it("keeps every character of hostile text as text", () => {
    const out = html("<script>alert(1)</script> https://app.example/cb?x=<b>");
    expect(out).not.toContain("<script>");
    expect(out).not.toContain("<b>");
    expect(out.replace(/<\/?span[^>]*>|<wbr\/>/g, "")).toBe(
      "&lt;script&gt;alert(1)&lt;/script&gt; https://app.example/cb?x=&lt;b&gt;",
    );
  });

  it("renders nothing for no text", () => {
    expect(html(null)).toBe("");
  });
});
