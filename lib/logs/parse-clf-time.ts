const CLF_TIME = /^(\d{2})\/([A-Z][a-z]{2})\/(\d{4}):(\d{2}):(\d{2}):(\d{2})(?: ([+-]\d{4}))?$/;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/**
 * Parses a Common Log Format time (`10/Oct/2000:13:55:36 -0700`, as Quarkus, Apache and nginx write %t and
 * $time_local) to epoch ms. A missing zone is read as UTC. Null when the text is not such a time.
 */
export function parseClfTime(stamp: string): number | null {
  const m = CLF_TIME.exec(stamp);
  if (m === null) return null;
  const month = MONTHS.indexOf(m[2] ?? "");
  if (month === -1) return null;
  const utc = Date.UTC(Number(m[3]), month, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]));
  const zone = m[7];
  if (zone === undefined) return utc;
  const offset = (zone.startsWith("-") ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3, 5)));
  return utc - offset * 60_000;
}
