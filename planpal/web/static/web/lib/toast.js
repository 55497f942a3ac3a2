// Announcements: short status messages and errors in the page's live regions.

let toastTimer = null;

/** Show a short message; errors are announced assertively (role=alert). */
export function toast(message, { error = false } = {}) {
  const region = document.getElementById(error ? "alert" : "status");
  const other = document.getElementById(error ? "status" : "alert");
  other.textContent = "";
  region.textContent = message;
  region.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(
    () => {
      region.textContent = "";
      region.hidden = true;
    },
    error ? 8000 : 4000,
  );
}

/** An ApiError as one sentence for a toast (forms place field errors beside their fields). */
export function errorMessage(error) {
  const fields = error.fields || {};
  const details = Object.entries(fields)
    .filter(([name]) => name !== "non_field_errors")
    .map(([name, messages]) => `${name.replaceAll("_", " ")}: ${[].concat(messages).join(" ")}`);
  return [error.message, ...details].join(" ");
}

/** Run an action; show its failure as an error toast. Resolves to the action's result. */
export async function attempt(action) {
  try {
    return await action();
  } catch (error) {
    toast(errorMessage(error), { error: true });
    return undefined;
  }
}
