// Webhooks (owners and admins): endpoints that receive the group's events, with their secret
// (shown once), a test send, secret rotation, pause / resume, and the delivery log with
// redelivery (docs/webhooks.md).

import { api } from "../../api.js";
import { confirmDialog, formDialog, formField } from "../../lib/dialogs.js";
import { h, replaceChildren } from "../../lib/dom.js";
import { attempt, toast } from "../../lib/toast.js";
import { t } from "../../lib/i18n.js";

function showSecret(title, secret) {
  formDialog({
    title,
    intro: h("p", {}, t("group.webhooks.copy_the_signing_secret_now")),
    fields: [
      formField(t("group.webhooks.signing_secret"), {
        name: "secret",
        readonly: true,
        value: secret,
      }),
    ],
    submitLabel: t("plan.activity.done"),
    onSubmit: () => true,
  });
}

function webhookState(webhook) {
  if (webhook.active) return t("group.webhooks.active");
  return webhook.disabled_reason
    ? t("group.webhooks.paused_because", { reason: webhook.disabled_reason })
    : t("group.webhooks.paused");
}

function deliveryRow(webhookId, delivery, reload) {
  const code = delivery.last_status_code ? ` · HTTP ${delivery.last_status_code}` : "";
  const redeliver = async () => {
    const sent = await attempt(() =>
      api.post(`webhooks/${webhookId}/deliveries/${delivery.id}/redeliver`),
    );
    if (sent) toast(t("group.webhooks.queued_to_be_sent_again"));
    reload();
  };
  const details = async () => {
    const full = await attempt(() => api.get(`webhooks/${webhookId}/deliveries/${delivery.id}`));
    if (full)
      toast(
        t("group.webhooks.delivery_details", {
          event: full.event,
          status: full.status,
          count: full.attempts,
          code,
          error: full.last_error || "",
        }),
      );
  };
  return h(
    "li",
    { class: "delivery-row" },
    h(
      "span",
      {},
      t("group.webhooks.delivery_line", {
        event: delivery.event,
        status: delivery.status,
        count: delivery.attempts,
        code,
      }),
    ),
    h(
      "button",
      { type: "button", class: "link-button", onclick: details },
      t("group.webhooks.details"),
    ),
    h(
      "button",
      { type: "button", class: "link-button", onclick: redeliver },
      t("group.webhooks.send_again"),
    ),
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
        : h("li", { class: "empty" }, t("group.webhooks.nothing_sent_yet")),
    );
  };
  await reload();
  formDialog({
    title: t("group.webhooks.deliveries_to_url", { url: webhook.url }),
    fields: [list],
    submitLabel: t("group.webhooks.close"),
    onSubmit: () => true,
  });
}

function webhookForm(title, webhook, submit) {
  formDialog({
    title,
    submitLabel: t("common.save"),
    fields: [
      formField("URL", {
        name: "url",
        type: "url",
        required: true,
        value: webhook?.url || "",
        placeholder: "https://example.com/hooks/planpal",
      }),
      formField(
        t("group.webhooks.events"),
        { name: "events", value: (webhook?.events || ["*"]).join(", ") },
        { hint: t("group.webhooks.event_names_separated_by_commas") },
      ),
      formField(t("common.description"), {
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
    act(t("group.webhooks.send_a_test"), () =>
      attempt(() => api.post(`webhooks/${webhook.id}/test`)).then(
        done(t("group.webhooks.test_event_queued")),
      ),
    ),
    act(t("group.webhooks.deliveries"), () => deliveries(webhook)),
    act(t("common.edit"), () =>
      webhookForm(t("group.webhooks.edit_webhook"), webhook, (body) =>
        api.patch(`webhooks/${webhook.id}`, body).then(render),
      ),
    ),
    act(webhook.active ? t("group.webhooks.pause") : t("group.webhooks.resume"), () =>
      attempt(() => api.patch(`webhooks/${webhook.id}`, { active: !webhook.active })).then(
        done(webhook.active ? t("group.webhooks.paused_2") : t("group.webhooks.resumed")),
      ),
    ),
    act(t("group.webhooks.new_secret"), async () => {
      const answer = await attempt(() => api.post(`webhooks/${webhook.id}/rotate-secret`));
      if (answer) showSecret(t("group.webhooks.new_signing_secret"), answer.secret);
    }),
    act(t("common.delete"), async () => {
      if (
        await confirmDialog(
          t("group.webhooks.delete_this_webhook"),
          webhook.url,
          t("group.webhooks.delete_webhook"),
        )
      ) {
        attempt(() => api.del(`webhooks/${webhook.id}`)).then(
          done(t("group.webhooks.webhook_deleted")),
        );
      }
    }),
  ];
}

export function webhookList(groupId) {
  const list = h("ul", { class: "webhook-list", "aria-label": t("group.webhooks.webhooks") });
  const add = h(
    "button",
    { type: "button", class: "button button-secondary" },
    t("group.webhooks.new_webhook"),
  );
  async function render() {
    const page = await attempt(() => api.get(`groups/${groupId}/webhooks`));
    if (!page) return;
    const row = (webhook) =>
      h(
        "li",
        { class: "webhook-row card" },
        h("p", { class: "webhook-url" }, webhook.url),
        h("p", { class: "muted" }, `${webhook.events.join(", ")} · ${webhookState(webhook)}`),
        h("div", { class: "actions" }, actions(webhook, render)),
      );
    replaceChildren(
      list,
      page.results.length
        ? page.results.map(row)
        : h("li", { class: "empty" }, t("group.webhooks.no_webhooks")),
    );
  }
  add.addEventListener("click", () =>
    webhookForm(t("group.webhooks.new_webhook"), null, async (body) => {
      const created = await api.post(`groups/${groupId}/webhooks`, body);
      showSecret(t("group.webhooks.webhook_created"), created.secret);
      render();
    }),
  );
  const node = h(
    "section",
    { "aria-labelledby": "webhooks-title" },
    h(
      "div",
      { class: "section-head" },
      h("h2", { id: "webhooks-title" }, t("group.webhooks.webhooks")),
      add,
    ),
    h("p", { class: "muted" }, t("group.webhooks.send_this_group_s_events")),
    list,
  );
  return { node, render };
}
