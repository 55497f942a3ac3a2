// Managing a plan: edit its title, dates, zone and description (with version-conflict handling),
// and delete it.

import { api } from "../../api.js";
import { confirmDialog, formDialog, formField } from "../../lib/dialogs.js";
import { h } from "../../lib/dom.js";
import { fromLocalInput, safeZone, toLocalInput } from "../../lib/format.js";
import { attempt, toast } from "../../lib/toast.js";
import { forgetTopic } from "../../state/live.js";
import { planTopic } from "../../state/store.js";
import { t } from "../../lib/i18n.js";

function planFields(plan, zone) {
  const time = (label, name) =>
    formField(label, {
      name,
      type: "datetime-local",
      required: true,
      value: toLocalInput(plan[name], zone),
    });
  return [
    formField(t("common.title"), {
      name: "title",
      required: true,
      maxlength: "200",
      value: plan.title,
    }),
    h(
      "div",
      { class: "field-row" },
      time(t("common.starts"), "start_at"),
      time(t("common.ends"), "end_at"),
    ),
    h("p", { class: "field-hint" }, t("home.times_in_zone", { zone })),
    formField(
      t("common.description"),
      { name: "description", rows: "3", value: plan.description || "" },
      { control: "textarea" },
    ),
  ];
}

export function editPlan(view) {
  const plan = view.record().data;
  const zone = safeZone(plan.timezone);
  formDialog({
    title: t("plan.activity_dialog.edit_title", { title: plan.title }),
    submitLabel: t("plan.manage.save_plan"),
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
        toast(t("plan.manage.plan_saved"));
      } catch (error) {
        if (error.status !== 409 || !error.current) throw error;
        view.mergePlan(error.current);
        error.message = t("plan.manage.someone_else_changed_this_plan");
        throw error;
      }
    },
  });
}

export async function deletePlan(view) {
  const plan = view.record().data;
  const sure = await confirmDialog(
    t("plan.itinerary.delete_title", { title: plan.title }),
    t("plan.manage.the_plan_and_its_activities"),
    t("plan.header.delete_plan"),
  );
  if (!sure) return;
  const gone = await attempt(() => api.del(`plans/${plan.id}?version=${plan.version}`));
  if (gone === undefined) return;
  forgetTopic(planTopic(plan.id));
  toast(t("plan.itinerary.title_was_deleted", { title: plan.title }));
  window.location.hash = "#/";
}
