import type postgres from "postgres";

export const SOURCE_ID = "3f0c6a52-9d7e-4c1a-8b2f-5e4d3c2b1a00";

export async function seedSource(sql: postgres.Sql, name = "prod"): Promise<void> {
  await sql`insert into sources (id, name, updated_at) values (${SOURCE_ID}, ${name}, now())
            on conflict (id) do nothing`;
}
