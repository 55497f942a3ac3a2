// The expense categories of the API (docs/money.md §3) and their names for people.

import { t } from "../../lib/i18n.js";

export const CATEGORIES = [
  ["food", t("money.category.food")],
  ["transport", t("money.category.transport")],
  ["lodging", t("money.category.lodging")],
  ["activities", t("money.category.activities")],
  ["shopping", t("money.category.shopping")],
  ["other", t("money.category.other")],
];

const NAMES = new Map(CATEGORIES);

export const categoryName = (category) => NAMES.get(category) || category;
