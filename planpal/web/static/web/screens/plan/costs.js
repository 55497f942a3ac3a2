// Estimated costs: totals per currency, for a day or the whole trip.

import { formatMoney } from "../../lib/format.js";

/** {currency → total} of the activities' estimated costs ("" for no currency given). */
export function totals(activities) {
  const sums = new Map();
  for (const activity of activities) {
    const cost = Number(activity.estimated_cost);
    if (!activity.estimated_cost || Number.isNaN(cost)) continue;
    const currency = activity.currency || "";
    sums.set(currency, (sums.get(currency) || 0) + cost);
  }
  return sums;
}

/** "€40.00 · ₫1,250,000" ("40,00 € · 1.250.000 ₫" in Vietnamese), or "" when nothing has a
 *  cost: each currency by the viewer's locale (lib/format.js formatMoney). */
export function costLine(sums) {
  return [...sums]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, total]) => formatMoney(total, currency))
    .join(" · ");
}
