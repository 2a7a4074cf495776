import { COLON, DASH, PLUS, SLASH, SPACE } from "@/lib/logs/char-codes";
import { digits } from "@/lib/logs/digits";
import { utcMillis } from "@/lib/logs/utc-millis";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/**
 * Parses a Common Log Format time (`10/Oct/2000:13:55:36 -0700`, as Quarkus, Apache and nginx write %t and
 * $time_local) to epoch ms. A missing zone is read as UTC. Null when the text is not such a time.
 * Read at fixed positions (`dd/Mon/yyyy:HH:mm:ss[ ±hhmm]`, nothing before or after): it runs once per
 * access-log line.
 */
export function parseClfTime(stamp: string): number | null {
  if (stamp.length !== 20 && stamp.length !== 26) return null;
  const day = digits(stamp, 0, 2);
  const year = digits(stamp, 7, 4);
  const hour = digits(stamp, 12, 2);
  const minute = digits(stamp, 15, 2);
  const second = digits(stamp, 18, 2);
  if (day < 0 || year < 0 || hour < 0 || minute < 0 || second < 0) return null;
  if (stamp.charCodeAt(2) !== SLASH || stamp.charCodeAt(6) !== SLASH) return null;
  if (stamp.charCodeAt(11) !== COLON || stamp.charCodeAt(14) !== COLON || stamp.charCodeAt(17) !== COLON)
    return null;
  const month = MONTHS.indexOf(stamp.slice(3, 6));
  if (month === -1) return null;
  const utc = utcMillis(year, month, day, hour, minute, second, 0);
  if (stamp.length === 20) return utc;
  const sign = stamp.charCodeAt(21);
  const zoneHours = digits(stamp, 22, 2);
  const zoneMinutes = digits(stamp, 24, 2);
  if (stamp.charCodeAt(20) !== SPACE || (sign !== PLUS && sign !== DASH) || zoneHours < 0 || zoneMinutes < 0)
    return null;
  return utc - (sign === DASH ? -1 : 1) * (zoneHours * 60 + zoneMinutes) * 60_000;
}
