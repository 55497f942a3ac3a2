// Asking a question: the new-poll form (a choice poll with one option per line, or a date poll
// over a window of days).

import { api, newClientId } from "../../api.js";
import { formDialog, formField } from "../../lib/dialogs.js";
import { installPoll } from "../../state/polls.js";
import { changed, store } from "../../state/store.js";

const checkbox = (label, name) => formField(label, { name, type: "checkbox", value: "on" });

function body(data) {
  const common = {
    question: data.question,
    anonymous: data.anonymous === "on",
    client_id: newClientId(),
  };
  if (data.kind === "dates") {
    return {
      ...common,
      kind: "dates",
      first_day: data.first_day,
      last_day: data.last_day,
      length_days: Number(data.length_days || 1),
    };
  }
  const labels = (data.options || "")
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
  return {
    ...common,
    multiple: data.multiple === "on",
    options: labels.map((label) => ({ label })),
  };
}

/** The form to ask a place ("group:3" or "plan:10"). */
export function newPollDialog(place) {
  const [kind, id] = place.split(":");
  formDialog({
    title: "New poll",
    submitLabel: "Ask",
    fields: [
      formField("Question", { name: "question", required: true, maxlength: 200 }),
      formField(
        "Kind",
        { name: "kind", value: "choice" },
        {
          control: "select",
          options: [
            ["choice", "Choose among options"],
            ["dates", "When can you go? (mark days)"],
          ],
        },
      ),
      formField(
        "Options, one per line",
        { name: "options", rows: 4 },
        { control: "textarea", hint: "Choice polls." },
      ),
      checkbox("Several options may be chosen", "multiple"),
      formField("First day", { name: "first_day", type: "date" }, { hint: "Date polls." }),
      formField("Last day", { name: "last_day", type: "date" }),
      formField("Trip length in days", { name: "length_days", type: "number", min: 1, value: 1 }),
      checkbox("Anonymous: nobody sees who voted what", "anonymous"),
    ],
    onSubmit: async (data) => {
      const poll =
        kind === "group"
          ? await api.post(`groups/${id}/polls`, body(data))
          : await api.post(`plans/${id}/polls`, body(data));
      installPoll(store, poll);
      changed("polls", place);
    },
  });
}
