// Managing a plan: edit its title, dates, zone and description (with version-conflict handling),
// and delete it.

import { api } from "../../api.js";
import { confirmDialog, formDialog, formField } from "../../lib/dialogs.js";
import { h } from "../../lib/dom.js";
import { fromLocalInput, safeZone, toLocalInput } from "../../lib/format.js";
import { attempt, toast } from "../../lib/toast.js";
import { forgetTopic } from "../../state/live.js";
import { planTopic } from "../../state/store.js";

function planFields(plan, zone) {
  const time = (label, name) =>
    formField(label, {
      name,
      type: "datetime-local",
      required: true,
      value: toLocalInput(plan[name], zone),
    });
  return [
    formField("Title", { name: "title", required: true, maxlength: "200", value: plan.title }),
    h("div", { class: "field-row" }, time("Starts", "start_at"), time("Ends", "end_at")),
    h("p", { class: "field-hint" }, `Times in ${zone}.`),
    formField(
      "Description",
      { name: "description", rows: "3", value: plan.description || "" },
      { control: "textarea" },
    ),
  ];
}

export function editPlan(view) {
  const plan = view.record().data;
  const zone = safeZone(plan.timezone);
  formDialog({
    title: `Edit “${plan.title}”`,
    submitLabel: "Save plan",
    fields: planFields(plan, zone),
    onSubmit: async (data) => {
      const body = {
        title: data.title,
        description: data.description,
        start_at: fromLocalInput(data.start_at, zone),
        end_at: fromLocalInput(data.end_at, zone),
        version: view.record().data.version,
      };
      try {
        view.mergePlan(await api.patch(`plans/${plan.id}`, body));
        toast("Plan saved.");
      } catch (error) {
        if (error.status !== 409 || !error.current) throw error;
        view.mergePlan(error.current);
        error.message =
          "Someone else changed this plan while you were editing. Close and edit again to see their version.";
        throw error;
      }
    },
  });
}

export async function deletePlan(view) {
  const plan = view.record().data;
  const sure = await confirmDialog(
    `Delete “${plan.title}”?`,
    "The plan and its activities are deleted for everyone. This cannot be undone.",
    "Delete plan",
  );
  if (!sure) return;
  const gone = await attempt(() => api.del(`plans/${plan.id}?version=${plan.version}`));
  if (gone === undefined) return;
  forgetTopic(planTopic(plan.id));
  toast(`${plan.title} was deleted.`);
  window.location.hash = "#/";
}
