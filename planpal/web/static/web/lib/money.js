// Exact money in the browser (docs/money.md §1): amounts are decimal strings, computed here in
// integer minor units (BigInt) so that a split previewed while typing is the split the server
// stores, unit for unit (shown to people by lib/format.js formatMoney). No DOM here: Node's unit
// tests import it.

/** The currencies the server knows and their minor units (planpal/money/currency.py). */
export const CURRENCY_DIGITS = {
  VND: 0,
  JPY: 0,
  KRW: 0,
  IDR: 0,
  USD: 2,
  EUR: 2,
  GBP: 2,
  AUD: 2,
  CAD: 2,
  CHF: 2,
  CNY: 2,
  HKD: 2,
  SGD: 2,
  THB: 2,
  MYR: 2,
  PHP: 2,
  NZD: 2,
  INR: 2,
  TWD: 2,
};

export const CURRENCIES = Object.keys(CURRENCY_DIGITS);

export const digitsOf = (currency) => CURRENCY_DIGITS[currency] ?? 2;

const DECIMAL = /^\s*(-)?(\d*)(?:\.(\d*))?\s*$/;

/** "12.5" → 1250n with 2 digits; null when the text is not a number or has too many decimals. */
export function toMinor(text, digits) {
  const match = DECIMAL.exec(String(text ?? ""));
  if (!match || (!match[2] && !match[3])) return null;
  const [, sign, whole, fraction = ""] = match;
  if (fraction.length > digits) return null;
  const units = BigInt((whole || "0") + fraction.padEnd(digits, "0"));
  return sign ? -units : units;
}

/** 1250n with 2 digits → "12.50" (the server's output shape). */
export function fromMinor(units, digits) {
  const negative = units < 0n;
  const text = (negative ? -units : units).toString().padStart(digits + 1, "0");
  const whole = digits ? text.slice(0, -digits) : text;
  const fraction = digits ? `.${text.slice(-digits)}` : "";
  return `${negative ? "-" : ""}${whole}${fraction}`;
}

/** The largest-remainder rule (docs/money.md, "Splitting and the remainder"): `total` minor
 *  units over [{user_id, weight}] (BigInt weights) → Map(user id → minor units). Each gets
 *  floor(total × weight / Σweights); the units left over go one each to the largest remainders,
 *  ties to the lower user id. Empty when the weights are not all positive. */
export function distribute(total, weighted) {
  const sum = weighted.reduce((acc, { weight }) => acc + weight, 0n);
  if (!weighted.length || sum <= 0n || weighted.some(({ weight }) => weight <= 0n)) {
    return new Map();
  }
  const parts = weighted.map(({ user_id, weight }) => ({
    user_id,
    share: (total * weight) / sum,
    remainder: (total * weight) % sum,
  }));
  let left = total - parts.reduce((acc, part) => acc + part.share, 0n);
  const order = [...parts].sort((a, b) =>
    a.remainder === b.remainder ? a.user_id - b.user_id : a.remainder > b.remainder ? -1 : 1,
  );
  for (const part of order) {
    if (left <= 0n) break;
    part.share += 1n;
    left -= 1n;
  }
  return new Map(parts.map(({ user_id, share }) => [user_id, share]));
}

/** The weight of a participant's value under a strategy, or null when the value is invalid. */
function weightOf(strategy, value, digits) {
  if (strategy === "equal") return 1n;
  if (strategy === "shares") {
    const text = String(value ?? "").trim();
    return /^\d+$/.test(text) && Number(text) >= 1 && Number(text) <= 1000 ? BigInt(text) : null;
  }
  const units = toMinor(value, strategy === "percent" ? 2 : digits);
  return units !== null && units > 0n ? units : null;
}

/** What a split editor shows while the user types: each participant's share (minor units, or
 *  null when their value is missing), and a problem to explain when the split cannot be saved.
 *  `participants`: [{user_id, value}]; `amount`: the expense's amount as typed. */
export function previewSplit({ amount, currency, strategy, participants }) {
  const digits = digitsOf(currency);
  const total = toMinor(amount, digits);
  const weighted = participants.map(({ user_id, value }) => ({
    user_id,
    weight: weightOf(strategy, value, digits),
  }));
  const shares = new Map(participants.map(({ user_id }) => [user_id, null]));
  if (!participants.length) return { shares, problem: "no-participants" };
  if (total === null || total <= 0n) return { shares, problem: "amount" };
  if (weighted.some(({ weight }) => weight === null)) return { shares, problem: "value" };
  const sum = weighted.reduce((acc, { weight }) => acc + weight, 0n);
  let problem = null;
  if (strategy === "percent" && sum !== 10000n) problem = "percent-sum";
  if (strategy === "exact" && sum !== total) problem = "exact-sum";
  if (strategy === "exact") {
    for (const { user_id, weight } of weighted) shares.set(user_id, weight);
    return { shares, problem, sum };
  }
  for (const [user_id, share] of distribute(total, weighted)) shares.set(user_id, share);
  return { shares, problem, sum };
}
