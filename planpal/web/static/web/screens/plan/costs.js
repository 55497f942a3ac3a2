// Estimated costs: totals per currency, for a day or the whole trip.

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

/** "1,250,000 VND · 40 EUR", or "" when nothing has a cost. */
export function costLine(sums) {
  return [...sums]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, total]) => {
      const amount = total.toLocaleString(undefined, { maximumFractionDigits: 2 });
      return currency ? `${amount} ${currency}` : amount;
    })
    .join(" · ");
}
