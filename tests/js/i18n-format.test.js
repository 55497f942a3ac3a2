// Local formats (lib/format.js by lib/i18n.js's locale) and the catalogue lookup itself.

import { afterEach, describe, test } from "node:test";
import assert from "node:assert/strict";
import { pickLanguage, setLanguage, t } from "../../planpal/web/static/web/lib/i18n.js";
import {
  formatDuration,
  formatMoney,
  formatNumber,
  viewerTime,
} from "../../planpal/web/static/web/lib/format.js";

// Intl separates a number and its currency sign with a no-break space.
const plain = (text) => text.replace(/\u00a0|\u202f/g, " ");

afterEach(() => setLanguage("en"));

describe("money", () => {
  test("VND in Vietnamese has dots for thousands and no decimals", () => {
    setLanguage("vi");
    assert.equal(plain(formatMoney(1250000, "VND")), "1.250.000 ₫");
    assert.equal(plain(formatMoney("1250000.40", "vnd")), "1.250.000 ₫");
  });

  test("VND in English has no decimals either", () => {
    setLanguage("en");
    assert.equal(plain(formatMoney(1250000, "VND")), "₫1,250,000");
  });

  test("USD has cents in both languages", () => {
    setLanguage("en");
    assert.equal(formatMoney(1250.5, "USD"), "$1,250.50");
    setLanguage("vi");
    assert.equal(plain(formatMoney(1250.5, "USD")), "1.250,50 US$");
  });

  test("an unknown currency code follows the number, and no code is just the number", () => {
    setLanguage("vi");
    assert.equal(formatMoney(12.5, "XX1"), "12,5 XX1");
    assert.equal(formatMoney(1500, ""), "1.500");
  });
});

describe("numbers, durations and times", () => {
  test("numbers follow the viewer's locale, including a regional English", () => {
    setLanguage("en", ["en-GB"]);
    assert.equal(formatNumber(1234.5), "1,234.5");
    setLanguage("vi");
    assert.equal(formatNumber(1234.5), "1.234,5");
  });

  test("a duration is said in the viewer's language", () => {
    setLanguage("vi");
    assert.equal(formatDuration("2026-01-01T00:00:00Z", "2026-01-03T03:00:00Z"), "2 ngày 3 giờ");
    setLanguage("en");
    assert.equal(formatDuration("2026-01-01T00:00:00Z", "2026-01-02T00:30:00Z"), "1 day");
  });

  test("the viewer's own time is shown only when their zone reads differently", () => {
    const at = "2026-05-01T02:00:00Z";
    assert.equal(viewerTime(at, "Asia/Ho_Chi_Minh", "Asia/Bangkok"), null); // both UTC+7
    setLanguage("vi");
    assert.equal(
      viewerTime(at, "Asia/Ho_Chi_Minh", "Europe/Berlin"),
      "04:00 theo giờ của bạn (Europe/Berlin)",
    );
  });
});

describe("catalogue lookup", () => {
  test("plural forms by count in English, one form in Vietnamese", () => {
    assert.equal(t("home.activity_count", { count: 1 }), "1 activity");
    assert.equal(t("home.activity_count", { count: 1200 }), "1,200 activities");
    setLanguage("vi");
    assert.equal(t("home.activity_count", { count: 1200 }), "1.200 hoạt động");
  });

  test("placeholders are filled and an unknown key reads as itself", () => {
    setLanguage("vi");
    assert.equal(
      t("home.times_in_zone", { zone: "Asia/Ho_Chi_Minh" }),
      "Thời gian theo múi giờ Asia/Ho_Chi_Minh.",
    );
    assert.equal(t("no.such.key"), "no.such.key");
  });

  test("the language is the first supported one of a list of tags, else English", () => {
    assert.equal(pickLanguage([undefined, "vi-VN", "en"]), "vi");
    assert.equal(pickLanguage(["fr-FR", "en-GB"]), "en");
    assert.equal(pickLanguage(["de"]), "en");
  });
});
