// Formatting of times, numbers, money, names and statuses in the viewer's locale (lib/i18n.js).
// No DOM here: Node's unit tests import it.

import { locale, t } from "./i18n.js";

const formatters = new Map();

function formatter(timeZone, options) {
  const key = JSON.stringify([locale(), timeZone, options]);
  if (!formatters.has(key)) {
    formatters.set(key, new Intl.DateTimeFormat(locale(), { timeZone, ...options }));
  }
  return formatters.get(key);
}

/** The zone the viewer's device is in. */
export function viewerZone() {
  return safeZone(Intl.DateTimeFormat().resolvedOptions().timeZone);
}

/** The time of an instant in the viewer's zone, or null when it reads the same as in the plan's
 *  zone (same offset at that instant): shown beside a plan's times for a viewer elsewhere. */
export function viewerTime(iso, planZone, ownZone = viewerZone()) {
  const there = formatShort(iso, planZone);
  const here = formatShort(iso, ownZone);
  return there === here
    ? null
    : t("time.viewer", { time: formatTime(iso, ownZone), zone: ownZone });
}

/** A number in the viewer's locale ("1,250.5" / "1.250,5"). */
export function formatNumber(value, options = {}) {
  return new Intl.NumberFormat(locale(), options).format(value);
}

/** An amount in its currency by the viewer's locale: VND has no decimals ("1.250.000 ₫" in
 *  Vietnamese, "₫1,250,000" in English), USD two. A code Intl does not know is written after
 *  the number; no code, just the number. */
export function formatMoney(amount, currency = "") {
  const value = Number(amount);
  const code = String(currency || "")
    .trim()
    .toUpperCase();
  if (!code) return formatNumber(value, { maximumFractionDigits: 2 });
  try {
    return new Intl.NumberFormat(locale(), { style: "currency", currency: code }).format(value);
  } catch {
    return `${formatNumber(value, { maximumFractionDigits: 2 })} ${code}`;
  }
}

export function safeZone(timeZone) {
  try {
    new Intl.DateTimeFormat("en", { timeZone });
    return timeZone;
  } catch {
    return "UTC";
  }
}

export function formatDay(iso, timeZone) {
  return formatter(timeZone, { weekday: "long", day: "numeric", month: "long" }).format(
    new Date(iso),
  );
}

export function formatTime(iso, timeZone) {
  return formatter(timeZone, { hour: "2-digit", minute: "2-digit" }).format(new Date(iso));
}

export function formatDateRange(startIso, endIso, timeZone) {
  const options = { day: "numeric", month: "short", year: "numeric" };
  const start = formatter(timeZone, options).format(new Date(startIso));
  const end = formatter(timeZone, options).format(new Date(endIso));
  return start === end ? start : `${start} – ${end}`;
}

export function formatShort(iso, timeZone = undefined) {
  return formatter(timeZone, {
    day: "numeric",
    month: "short",
    hour: "2-digit",
    minute: "2-digit",
  }).format(new Date(iso));
}

/** The calendar day of an instant in a time zone, as YYYY-MM-DD (for grouping). */
export function dayKey(iso, timeZone) {
  const parts = zonedParts(new Date(iso), timeZone);
  return `${parts.year}-${pad(parts.month)}-${pad(parts.day)}`;
}

function pad(n) {
  return String(n).padStart(2, "0");
}

function zonedParts(date, timeZone) {
  const parts = {};
  const f = formatter(timeZone, {
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    second: "numeric",
    hourCycle: "h23",
  });
  for (const { type, value } of f.formatToParts(date)) parts[type] = Number(value);
  return parts;
}

/** An instant as the value of <input type="datetime-local"> in a time zone. */
export function toLocalInput(iso, timeZone) {
  const p = zonedParts(new Date(iso), timeZone);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}`;
}

const DAY_MS = 86400000;

/** The zone's UTC offset (ms) at an instant. */
function offsetAt(ms, timeZone) {
  const p = zonedParts(new Date(ms), timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - ms;
}

/** A datetime-local value read as wall time in `timeZone` → ISO 8601 UTC, by the server's rule
 *  (PEP 495 fold=0, planpal.core.validation): a time skipped by a daylight-saving change is
 *  read with the offset before the change, so it moves forward by the gap (02:30 on a night
 *  that jumps 02:00 → 03:00 is 03:30); a repeated time is its first occurrence. */
export function fromLocalInput(value, timeZone) {
  const [date, time] = value.split("T");
  const [y, mo, d] = date.split("-").map(Number);
  const [hh, mm] = time.split(":").map(Number);
  const wall = Date.UTC(y, mo - 1, d, hh, mm);
  const before = offsetAt(wall - DAY_MS, timeZone); // at most one change within a day
  const after = offsetAt(wall + DAY_MS, timeZone);
  const exact = [before, after].find((offset) => offsetAt(wall - offset, timeZone) === offset);
  return new Date(wall - (exact ?? before)).toISOString();
}

/** "45 min", "2 h", "1 h 30 min", "2 days 3 h": how long from one instant to another. */
export function formatDuration(startIso, endIso) {
  const minutes = Math.max(0, Math.round((new Date(endIso) - new Date(startIso)) / 60000));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  const parts = [];
  if (days) parts.push(t("duration.days", { count: days }));
  if (hours) parts.push(t("duration.hours", { count: hours }));
  if (rest && !days) parts.push(t("duration.minutes", { count: rest }));
  return parts.join(" ") || t("duration.minutes", { count: 0 });
}

export function initials(user) {
  const name = (user && (user.display_name || user.username)) || "?";
  return name
    .split(/\s+/)
    .map((part) => part[0])
    .join("")
    .slice(0, 2)
    .toUpperCase();
}

export function displayName(user) {
  return (user && (user.display_name || user.username)) || t("people.someone");
}

export const STATUS_LABELS = {
  upcoming: t("status.upcoming"),
  ongoing: t("status.ongoing"),
  completed: t("status.completed"),
  cancelled: t("status.cancelled"),
};

/** A member's role as a word inside a sentence ("you are admin"). */
export const ROLE_LABELS = {
  owner: t("role.owner"),
  admin: t("role.admin"),
  member: t("role.member"),
};

export function isClosed(plan) {
  return plan.status === "completed" || plan.status === "cancelled";
}

/** "820 B", "14 KB", "2.4 MB": a file's size for people (1 KB = 1024 bytes). */
export function formatBytes(size) {
  if (size < 1024) return `${formatNumber(size)} B`;
  const units = ["KB", "MB", "GB"];
  let value = size / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = value < 10 ? 1 : 0;
  const shown = formatNumber(value, {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  return `${shown} ${units[unit]}`;
}
