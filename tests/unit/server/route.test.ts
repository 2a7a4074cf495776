import { describe, expect, it } from "vitest";
import { z } from "zod";
import { one } from "@/lib/server/query-params";
import { routeWith } from "@/lib/server/route";

const route = routeWith(() => "someone");
const post = (body: string) => new Request("http://x/api/thing", { method: "POST", body });

describe("route()", () => {
  it("answers data as JSON no cache keeps, and passes a Response of the handler's own through", async () => {
    const data = await route({}, ({ viewer }) => ({ viewer }))(new Request("http://x/api/thing"));
    expect(data.status).toBe(200);
    expect(data.headers.get("cache-control")).toBe("no-store");
    expect(await data.json()).toEqual({ viewer: "someone" });
    const own = await route({}, () => new Response("text", { status: 202 }))(new Request("http://x/a"));
    expect(own.status).toBe(202);
    expect(await own.text()).toBe("text");
  });

  it("checks the query, with repeated keys and empty fields as pages see them", async () => {
    const handler = route(
      { query: z.object({ n: one(z.coerce.number().int()), tag: z.array(z.string()) }) },
      ({ query }) => query,
    );
    const ok = await handler(new Request("http://x/a?n=2&n=3&tag=a&tag=b&empty="));
    expect(await ok.json()).toEqual({ n: 2, tag: ["a", "b"] });
    const bad = await handler(new Request("http://x/a?n=two&tag=a&tag=b"));
    expect(bad.status).toBe(400);
    expect((await bad.json()).message).toMatch(/^Invalid request\. n: /);
  });

  it("gives the handler the query as a record when it declares no schema", async () => {
    const res = await route({}, ({ query }) => query)(new Request("http://x/a?realm=acme&type=A&type=B"));
    expect(await res.json()).toEqual({ realm: "acme", type: ["A", "B"] });
  });

  it("reads a JSON body: empty is undefined, not JSON is a 400 that says so, a bad field is named", async () => {
    const handler = route({ body: z.object({ id: z.string().optional() }).default({}) }, ({ body }) => body);
    expect(await (await handler(post(""))).json()).toEqual({});
    expect(await (await handler(post('{"id":"a"}'))).json()).toEqual({ id: "a" });
    const notJson = await handler(post("{"));
    expect(notJson.status).toBe(400);
    expect((await notJson.json()).message).toBe("The request body must be JSON.");
    const bad = await handler(post('{"id":1}'));
    expect(bad.status).toBe(400);
    expect((await bad.json()).message).toMatch(/id: /);
  });

  it("answers a bad body with the fixed message alone when one is given", async () => {
    const handler = route(
      { body: z.object({ token: z.string() }).strict(), bodyError: "Send {token}." },
      () => ({}),
    );
    for (const body of ['{"token": 1, "secret": "do-not-echo"}', "do-not-echo", ""]) {
      const res = await handler(post(body));
      expect(res.status).toBe(400);
      const text = await res.text();
      expect(JSON.parse(text).message).toBe("Send {token}.");
      expect(text).not.toContain("do-not-echo");
    }
  });

  it("checks the path's segments", async () => {
    const handler = route({ params: z.object({ id: z.uuid() }) }, ({ params }) => params);
    const req = new Request("http://x/api/things/x");
    expect((await handler(req, { params: Promise.resolve({ id: "x" }) })).status).toBe(400);
    const id = "0b0e7a3c-1f0e-4a44-9b5c-2f7d1f0c9a11";
    expect(await (await handler(req, { params: Promise.resolve({ id }) })).json()).toEqual({ id });
  });
});
