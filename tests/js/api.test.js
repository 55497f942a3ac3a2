// API errors in the user's terms: a 429 (rate limit, login lockout) says when to try again,
// not "Expected available in 550 seconds".

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ApiError, retryText } from "../../planpal/web/static/web/api.js";

describe("ApiError", () => {
  it("turns a lockout into when to retry, in minutes or hours", () => {
    const body = { error: { code: "throttled", message: "Expected available in 550 seconds." } };
    assert.equal(
      new ApiError(429, body, 550).message,
      "Too many attempts. Try again in 10 minutes.",
    );
    assert.equal(retryText(30), "Try again in a minute.");
    assert.equal(retryText(7200), "Try again in 2 hours.");
    assert.equal(retryText(0), "Try again in a minute.");
  });

  it("keeps the API's own message and fields otherwise", () => {
    const body = {
      error: { code: "invalid", message: "Check the form.", fields: { title: ["Required."] } },
    };
    const error = new ApiError(400, body);
    assert.deepEqual(
      [error.message, error.code, error.fields],
      ["Check the form.", "invalid", { title: ["Required."] }],
    );
  });
});
