/** What the demo feeds arrives through the poller every few seconds: read until it is there (up to 170 s). */
export async function poll<T>(what: string, read: () => Promise<T | null | undefined>): Promise<T> {
  const deadline = Date.now() + 170_000;
  while (Date.now() < deadline) {
    const value = await read().catch(() => null);
    if (value !== null && value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 2_000));
  }
  throw new Error(`The demo data did not arrive: ${what}`);
}
