import type { z } from "zod";
import { AppError } from "@/lib/server/errors";
import { logger } from "@/lib/server/logger";
import { type QueryRecord, queryRecord } from "@/lib/server/query-params";
import { readCappedText } from "@/lib/server/read-capped-text";
import { JSON_MAX_BYTES, requestLimitFor } from "@/lib/server/request-limits";
import { errorResponse, json } from "@/lib/server/respond";

/**
 * The one shape of an API handler: what it reads, declared as schemas, and a function of what was read.
 *
 *   export const POST = route({ body: schema }, async ({ viewer, body, query, params, request }) => data);
 *
 * The handler returns data (answered as JSON that no cache keeps) or a Response of its own (a status other
 * than 200, a stream, a redirect, another content type). Whatever it throws, and any input that fails its
 * schema, is answered by the one error mapper (lib/server/respond.ts). Who may call the route is not declared
 * here: the route-access table (lib/auth/route-access.ts) says it, for the request guard and the viewer alike.
 */
export interface RouteSpec<
  Q extends z.ZodType | undefined,
  B extends z.ZodType | undefined,
  P extends z.ZodType | undefined,
> {
  /** The query string (repeated keys as arrays, empty values dropped); without a schema, that record as is. */
  query?: Q;
  /** The JSON body. An empty body is undefined (a schema with a default accepts it); one that is not JSON, a 400. */
  body?: B;
  /** A fixed message for a body that is not JSON or fails its schema, for bodies that must never be echoed. */
  bodyError?: string;
  /** The path's [segments]; without a schema, the strings as Next gives them. */
  params?: P;
}

type Parsed<S, Otherwise> = S extends z.ZodType ? z.output<S> : Otherwise;

export interface RouteInput<V, Q, B, P> {
  viewer: V;
  query: Parsed<Q, QueryRecord>;
  body: Parsed<B, undefined>;
  params: Parsed<P, Record<string, string>>;
  request: Request;
}

/** What Next calls: the request, and for a dynamic route its segments. */
export type RouteHandler = (
  request: Request,
  context?: { params?: Promise<Record<string, string | string[]>> },
) => Promise<Response>;

/**
 * route() for a given way of finding the viewer (lib/auth/route.ts passes the session's, after checking the
 * route-access table): the viewer is resolved first, so a refused request is answered before anything is read.
 */
export function routeWith<V>(
  resolveViewer: (request: Request) => V | Promise<V>,
  hooks: {
    /** What the viewer may receive of the data a handler returned (lib/auth/viewer-boundary.ts). */
    present?: (data: unknown, viewer: V) => Promise<unknown>;
    /** Called with every answer, once it is made (the audit of changes); what it throws is not the caller's. */
    answered?: (request: Request, viewer: V | undefined, response: Response) => Promise<void>;
  } = {},
) {
  const { present, answered } = hooks;
  return function route<
    Q extends z.ZodType | undefined = undefined,
    B extends z.ZodType | undefined = undefined,
    P extends z.ZodType | undefined = undefined,
  >(spec: RouteSpec<Q, B, P>, handler: (input: RouteInput<V, Q, B, P>) => unknown): RouteHandler {
    return async (request, context) => {
      let viewer: V | undefined;
      let response: Response;
      try {
        viewer = await resolveViewer(request);
        const segments = (await context?.params) ?? {};
        const params = spec.params ? spec.params.parse(segments) : segments;
        const record = queryRecord(new URL(request.url).searchParams);
        const query = spec.query ? spec.query.parse(record) : record;
        const body = spec.body ? await readBody(request, spec.body, spec.bodyError) : undefined;
        const out = await handler({ viewer, query, body, params, request } as RouteInput<V, Q, B, P>);
        response = out instanceof Response ? out : json(present ? await present(out, viewer) : out);
      } catch (err) {
        response = errorResponse(err);
      }
      // The answer stands whatever happens after it (the change it reports was made): a failure is logged.
      if (answered) {
        await answered(request, viewer, response).catch((err: Error) =>
          logger.warn("after-answer step failed", {
            path: new URL(request.url).pathname,
            error: err.message,
          }),
        );
      }
      return response;
    };
  };
}

async function readBody(request: Request, schema: z.ZodType, fixedMessage: string | undefined) {
  // Counted as it streams: a chunked body has no Content-Length for the proxy's check to refuse.
  const limit = requestLimitFor(new URL(request.url).pathname)?.maxBodyBytes ?? JSON_MAX_BYTES;
  const text = await readCappedText(request, limit);
  let value: unknown;
  if (text.trim() !== "") {
    try {
      value = JSON.parse(text);
    } catch {
      throw new AppError("bad_request", fixedMessage ?? "The request body must be JSON.");
    }
  }
  if (fixedMessage === undefined) return schema.parse(value);
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new AppError("bad_request", fixedMessage);
  return parsed.data;
}
