// Webhooks (owners and admins): endpoints that receive the group's events, with their secret
// (shown once), a test send, secret rotation, pause / resume, and the delivery log with
// redelivery (docs/webhooks.md).

import { api } from "../../api.js";
import { confirmDialog, formDialog, formField } from "../../lib/dialogs.js";
import { h, replaceChildren } from "../../lib/dom.js";
import { attempt, toast } from "../../lib/toast.js";

function showSecret(title, secret) {
  formDialog({
    title,
    intro: h("p", {}, "Copy the signing secret now: it is not shown again."),
    fields: [formField("Signing secret", { name: "secret", readonly: true, value: secret })],
    submitLabel: "Done",
    onSubmit: () => true,
  });
}

function deliveryRow(webhookId, delivery, reload) {
  const code = delivery.last_status_code ? ` · HTTP ${delivery.last_status_code}` : "";
  const redeliver = async () => {
    const sent = await attempt(() =>
      api.post(`webhooks/${webhookId}/deliveries/${delivery.id}/redeliver`),
    );
    if (sent) toast("Queued to be sent again.");
    reload();
  };
  const details = async () => {
    const full = await attempt(() => api.get(`webhooks/${webhookId}/deliveries/${delivery.id}`));
    if (full)
      toast(
        `${full.event}: ${full.status}, ${full.attempts} attempts${code}. ${full.last_error || ""}`,
      );
  };
  return h(
    "li",
    { class: "delivery-row" },
    h("span", {}, `${delivery.event} · ${delivery.status} · ${delivery.attempts} attempts${code}`),
    h("button", { type: "button", class: "link-button", onclick: details }, "Details"),
    h("button", { type: "button", class: "link-button", onclick: redeliver }, "Send again"),
  );
}

async function deliveries(webhook) {
  const list = h("ul", { class: "delivery-list" });
  const reload = async () => {
    const page = await attempt(() => api.get(`webhooks/${webhook.id}/deliveries?limit=20`));
    if (!page) return;
    replaceChildren(
      list,
      page.results.length
        ? page.results.map((d) => deliveryRow(webhook.id, d, reload))
        : h("li", { class: "empty" }, "Nothing sent yet."),
    );
  };
  await reload();
  formDialog({
    title: `Deliveries to ${webhook.url}`,
    fields: [list],
    submitLabel: "Close",
    onSubmit: () => true,
  });
}

function webhookForm(title, webhook, submit) {
  formDialog({
    title,
    submitLabel: "Save",
    fields: [
      formField("URL", {
        name: "url",
        type: "url",
        required: true,
        value: webhook?.url || "",
        placeholder: "https://example.com/hooks/planpal",
      }),
      formField(
        "Events",
        { name: "events", value: (webhook?.events || ["*"]).join(", ") },
        { hint: "Event names separated by commas (group.*, plan.*), or * for all." },
      ),
      formField("Description", {
        name: "description",
        maxlength: "200",
        value: webhook?.description || "",
      }),
    ],
    onSubmit: async (data) => {
      const events = data.events
        .split(",")
        .map((name) => name.trim())
        .filter(Boolean);
      await submit({ url: data.url, events, description: data.description });
    },
  });
}

function actions(webhook, render) {
  const act = (label, run) =>
    h(
      "button",
      {
        type: "button",
        class: "button button-quiet",
        "aria-label": `${label}: ${webhook.url}`,
        onclick: run,
      },
      label,
    );
  const done = (message) => (answer) => {
    if (answer !== undefined) toast(message);
    render();
  };
  return [
    act("Send a test", () =>
      attempt(() => api.post(`webhooks/${webhook.id}/test`)).then(done("Test event queued.")),
    ),
    act("Deliveries", () => deliveries(webhook)),
    act("Edit", () =>
      webhookForm("Edit webhook", webhook, (body) =>
        api.patch(`webhooks/${webhook.id}`, body).then(render),
      ),
    ),
    act(webhook.active ? "Pause" : "Resume", () =>
      attempt(() => api.patch(`webhooks/${webhook.id}`, { active: !webhook.active })).then(
        done(webhook.active ? "Paused." : "Resumed."),
      ),
    ),
    act("New secret", async () => {
      const answer = await attempt(() => api.post(`webhooks/${webhook.id}/rotate-secret`));
      if (answer) showSecret("New signing secret", answer.secret);
    }),
    act("Delete", async () => {
      if (await confirmDialog("Delete this webhook?", webhook.url, "Delete webhook")) {
        attempt(() => api.del(`webhooks/${webhook.id}`)).then(done("Webhook deleted."));
      }
    }),
  ];
}

export function webhookList(groupId) {
  const list = h("ul", { class: "webhook-list", "aria-label": "Webhooks" });
  const add = h("button", { type: "button", class: "button button-secondary" }, "New webhook");
  async function render() {
    const page = await attempt(() => api.get(`groups/${groupId}/webhooks`));
    if (!page) return;
    const row = (webhook) =>
      h(
        "li",
        { class: "webhook-row card" },
        h("p", { class: "webhook-url" }, webhook.url),
        h(
          "p",
          { class: "muted" },
          `${webhook.events.join(", ")} · ${webhook.active ? "active" : `paused${webhook.disabled_reason ? `: ${webhook.disabled_reason}` : ""}`}`,
        ),
        h("div", { class: "actions" }, actions(webhook, render)),
      );
    replaceChildren(
      list,
      page.results.length ? page.results.map(row) : h("li", { class: "empty" }, "No webhooks."),
    );
  }
  add.addEventListener("click", () =>
    webhookForm("New webhook", null, async (body) => {
      const created = await api.post(`groups/${groupId}/webhooks`, body);
      showSecret("Webhook created", created.secret);
      render();
    }),
  );
  const node = h(
    "section",
    { "aria-labelledby": "webhooks-title" },
    h("div", { class: "section-head" }, h("h2", { id: "webhooks-title" }, "Webhooks"), add),
    h("p", { class: "muted" }, "Send this group's events to another service."),
    list,
  );
  return { node, render };
}
