// Asking a question: the new-poll form (a choice poll with one option per line, or a date poll
// over a window of days).

import { api, newClientId } from "../../api.js";
import { formDialog, formField } from "../../lib/dialogs.js";
import { installPoll } from "../../state/polls.js";
import { changed, store } from "../../state/store.js";
import { t } from "../../lib/i18n.js";

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
    title: t("polls.dialog.new_poll"),
    submitLabel: t("polls.dialog.ask"),
    fields: [
      formField(t("polls.dialog.question"), { name: "question", required: true, maxlength: 200 }),
      formField(
        t("plan.activity_dialog.kind"),
        { name: "kind", value: "choice" },
        {
          control: "select",
          options: [
            ["choice", t("polls.dialog.choose_among_options")],
            ["dates", t("polls.dialog.when_can_you_go_mark")],
          ],
        },
      ),
      formField(
        t("polls.dialog.options_one_per_line"),
        { name: "options", rows: 4 },
        { control: "textarea", hint: t("polls.dialog.choice_polls") },
      ),
      checkbox(t("polls.dialog.several_options_may_be_chosen"), "multiple"),
      formField(
        t("polls.dialog.first_day"),
        { name: "first_day", type: "date" },
        { hint: t("polls.dialog.date_polls") },
      ),
      formField(t("polls.dialog.last_day"), { name: "last_day", type: "date" }),
      formField(t("polls.dialog.trip_length_in_days"), {
        name: "length_days",
        type: "number",
        min: 1,
        value: 1,
      }),
      checkbox(t("polls.dialog.anonymous_nobody_sees_who_voted"), "anonymous"),
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
