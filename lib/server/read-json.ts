import type { z } from "zod";
import { AppError } from "@/lib/server/errors";

/** A request's JSON body checked against a schema; a body that is not JSON is a 400 that says so. */
export async function readJson<T extends z.ZodType>(req: Request, schema: T): Promise<z.infer<T>> {
  let body: unknown;
  try {
    body = await req.json();
  } catch {
    throw new AppError("bad_request", "The request body must be JSON.");
  }
  return schema.parse(body);
}
