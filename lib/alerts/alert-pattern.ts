/** A pattern as alerts see it: the columns of `patterns` that say what is wrong, where and how badly. */
export interface AlertPattern {
  id: string;
  realm: string;
  cause: string;
  scopeKind: string;
  scopeValue: string;
  clientId: string | null;
  status: string;
  firstSeen: Date;
  lastSeen: Date;
  eventCount: number;
  affectedUsers: number;
  peakScore: number | null;
}

export type AlertTrigger = "opened" | "escalated" | "test";
