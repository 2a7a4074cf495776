import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/client.ts";

/** Prisma Client (with the pg driver adapter) for ordinary reads and writes. One per process. */
let client: PrismaClient | undefined;

export function getPrisma(): PrismaClient {
  if (client) return client;
  const url = process.env.DATABASE_URL;
  if (!url)
    throw new Error("DATABASE_URL is not set: start realmwatch with `npm start`, which provides one.");
  client = new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max: 5 }) });
  return client;
}

export async function closePrisma(): Promise<void> {
  const c = client;
  client = undefined;
  await c?.$disconnect();
}
