import type { KeycloakAdminEvent, KeycloakUserEvent } from "@/lib/keycloak/types";
import { allocateBatch, type ColumnBatch, EventColumns } from "./event-columns";
import {
  ADMIN_EVENT_COLUMNS,
  adminEventValues,
  rowToAdminEvent,
  rowToUserEvent,
  USER_EVENT_COLUMNS,
  userEventValues,
} from "./event-json";
import { type BulkOptions, generateBulkBatch } from "./generate-bulk";
import { createPrng, type Prng } from "./prng";

export type EventKind = "user" | "admin";

export interface AddOptions {
  /**
   * Epoch ms at which the events become visible to queries. Keycloak stores a success event when the
   * request's transaction commits, so a row can appear after rows with a later `time` were served.
   */
  visibleAt?: number;
}

export interface DemoEventStore {
  addUserEvents(realm: string, events: readonly KeycloakUserEvent[], opts?: AddOptions): void;
  addAdminEvents(realm: string, events: readonly KeycloakAdminEvent[], opts?: AddOptions): void;
  /** Every user event of the realm, visible or not yet, oldest first (ties in insertion order). */
  allUserEvents(realm: string): KeycloakUserEvent[];
  allAdminEvents(realm: string): KeycloakAdminEvent[];
  /** Events held (including those not yet visible), for one realm or all, user and admin or one kind. */
  count(realm?: string, kind?: EventKind): number;
  /** Adds n seeded user events in [startTime, endTime] straight into the columns. */
  generateBulk(realm: string, n: number, opts: BulkOptions): void;
  /** Deletes events older than `time`, as the eventsExpiration / adminEventsExpiration purge does. */
  expireBefore(time: number, opts?: { realm?: string; kind?: EventKind }): number;
  clear(realm?: string, kind?: EventKind): void;
}

interface Pending {
  realm: string;
  kind: EventKind;
  visibleAt: number;
  batch: ColumnBatch;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const nibble = (c: number) => (c <= 57 ? c - 48 : c - 87);

/** Writes a UUID id as 16 bytes; any other id is kept as text in the `idText` column. */
function writeId(
  cols: EventColumns,
  batch: ColumnBatch,
  i: number,
  id: string | null | undefined,
  prng: Prng,
) {
  if (id && UUID_RE.test(id)) {
    let b = i * 16;
    for (let k = 0; k < 36; k += 2) {
      if (k === 8 || k === 13 || k === 18 || k === 23) k++;
      batch.ids[b++] = (nibble(id.charCodeAt(k)) << 4) | nibble(id.charCodeAt(k + 1));
    }
    batch.codes[0]![i] = 0;
  } else {
    prng.uuidBytes(batch.ids, i * 16);
    batch.codes[0]![i] = id ? cols.dicts[0]!.code(id) : 0;
  }
}

/** Sorted realm-partitioned columns behind the events and admin-events endpoints. */
export class ColumnarEventStore implements DemoEventStore {
  readonly user = new Map<string, EventColumns>();
  readonly admin = new Map<string, EventColumns>();
  private pending: Pending[] = [];
  private readonly prng: Prng;

  constructor(
    private readonly realmIds: ReadonlyMap<string, string>,
    private readonly now: () => number,
    seed: number,
  ) {
    this.prng = createPrng(seed ^ 0x5eed);
    for (const name of realmIds.keys()) {
      this.user.set(name, new EventColumns(USER_EVENT_COLUMNS));
      this.admin.set(name, new EventColumns(ADMIN_EVENT_COLUMNS));
    }
  }

  realmId(realm: string): string {
    const id = this.realmIds.get(realm);
    if (!id) throw new Error(`unknown realm ${realm}`);
    return id;
  }

  /** The realm's columns with every due pending event merged in. */
  columns(realm: string, kind: EventKind): EventColumns {
    this.flush();
    const cols = (kind === "user" ? this.user : this.admin).get(realm);
    if (!cols) throw new Error(`unknown realm ${realm}`);
    return cols;
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    const now = this.now();
    const due = this.pending.filter((p) => p.visibleAt <= now);
    if (due.length === 0) return;
    this.pending = this.pending.filter((p) => p.visibleAt > now);
    for (const p of due) (p.kind === "user" ? this.user : this.admin).get(p.realm)!.insert(p.batch);
  }

  private toBatch<E extends { id?: string | null; time: number }>(
    cols: EventColumns,
    events: readonly E[],
    values: (e: E) => Array<string | null>,
  ): ColumnBatch {
    const order = events.map((_, i) => i).sort((a, b) => events[a]!.time - events[b]!.time || a - b);
    const batch = allocateBatch(events.length, cols.codes.length);
    order.forEach((src, i) => {
      const e = events[src]!;
      if (!Number.isFinite(e.time)) throw new Error("event time must be a finite number of epoch ms");
      batch.time[i] = e.time;
      writeId(cols, batch, i, e.id, this.prng);
      const vals = values(e);
      for (let c = 0; c < vals.length; c++) batch.codes[c + 1]![i] = cols.dicts[c + 1]!.code(vals[c]);
    });
    return batch;
  }

  private add(realm: string, kind: EventKind, batch: ColumnBatch, opts?: AddOptions): void {
    if (opts?.visibleAt !== undefined && opts.visibleAt > this.now()) {
      this.pending.push({ realm, kind, visibleAt: opts.visibleAt, batch });
    } else {
      this.columns(realm, kind).insert(batch);
    }
  }

  addUserEvents(realm: string, events: readonly KeycloakUserEvent[], opts?: AddOptions): void {
    this.realmId(realm);
    const cols = this.user.get(realm)!;
    this.add(realm, "user", this.toBatch(cols, events, userEventValues), opts);
  }

  addAdminEvents(realm: string, events: readonly KeycloakAdminEvent[], opts?: AddOptions): void {
    this.realmId(realm);
    const cols = this.admin.get(realm)!;
    this.add(realm, "admin", this.toBatch(cols, events, adminEventValues), opts);
  }

  private everything(realm: string, kind: EventKind): EventColumns {
    this.realmId(realm);
    const cols = this.columns(realm, kind);
    const waiting = this.pending.filter((p) => p.realm === realm && p.kind === kind);
    if (waiting.length === 0) return cols;
    const copy = new EventColumns(cols.columnNames, cols.dicts);
    copy.insert(cols.asBatch());
    for (const p of waiting) copy.insert(p.batch);
    return copy;
  }

  allUserEvents(realm: string): KeycloakUserEvent[] {
    const cols = this.everything(realm, "user");
    const id = this.realmId(realm);
    return Array.from({ length: cols.length }, (_, r) => rowToUserEvent(cols, r, id));
  }

  allAdminEvents(realm: string): KeycloakAdminEvent[] {
    const cols = this.everything(realm, "admin");
    const id = this.realmId(realm);
    return Array.from({ length: cols.length }, (_, r) => rowToAdminEvent(cols, r, id));
  }

  count(realm?: string, kind?: EventKind): number {
    this.flush();
    let n = 0;
    for (const k of kind ? [kind] : (["user", "admin"] as const)) {
      for (const [name, cols] of k === "user" ? this.user : this.admin) {
        if (realm === undefined || realm === name) n += cols.length;
      }
      for (const p of this.pending) {
        if (p.kind === k && (realm === undefined || realm === p.realm)) n += p.batch.length;
      }
    }
    return n;
  }

  generateBulk(realm: string, n: number, opts: BulkOptions): void {
    this.realmId(realm);
    const cols = this.user.get(realm)!;
    this.add(realm, "user", generateBulkBatch(cols, n, opts));
  }

  expireBefore(time: number, opts?: { realm?: string; kind?: EventKind }): number {
    this.flush();
    let removed = 0;
    for (const k of opts?.kind ? [opts.kind] : (["user", "admin"] as const)) {
      for (const [name, cols] of k === "user" ? this.user : this.admin) {
        if (opts?.realm === undefined || opts.realm === name) removed += cols.removeBefore(time);
      }
    }
    return removed;
  }

  clear(realm?: string, kind?: EventKind): void {
    for (const k of kind ? [kind] : (["user", "admin"] as const)) {
      for (const [name, cols] of k === "user" ? this.user : this.admin) {
        if (realm === undefined || realm === name) cols.clear();
      }
      this.pending = this.pending.filter((p) => p.kind !== k || (realm !== undefined && realm !== p.realm));
    }
  }
}
