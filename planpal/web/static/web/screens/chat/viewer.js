// The photo viewer: a chat image at full size in a modal dialog (Escape, the close button or a
// click beside the photo closes it), with its name and a link to download it.

import { api } from "../../api.js";
import { h } from "../../lib/dom.js";
import { t } from "../../lib/i18n.js";

/** Full-size images come through uploads/{id}/content: a fresh signed URL each time. */
export function uploadHref(attachment, { thumbnail = false } = {}) {
  const { id } = attachment;
  return thumbnail
    ? api.href(`uploads/${id}/content?variant=thumbnail`)
    : api.href(`uploads/${id}/content`);
}

export function openViewer(attachment, alt) {
  const close = h(
    "button",
    { type: "button", class: "button button-quiet" },
    t("group.webhooks.close"),
  );
  const image = h("img", {
    class: "viewer-image",
    src: uploadHref(attachment),
    alt,
    width: attachment.width || null,
    height: attachment.height || null,
  });
  const dialog = h(
    "dialog",
    {
      class: "dialog image-viewer",
      "aria-label": t("chat.viewer.photo_name", { name: attachment.name }),
    },
    image,
    h(
      "div",
      { class: "dialog-actions" },
      h(
        "a",
        { href: uploadHref(attachment), download: attachment.name },
        t("chat.viewer.download"),
      ),
      close,
    ),
  );
  close.addEventListener("click", () => dialog.close());
  // A click on the backdrop lands on the dialog element itself, not on its content.
  dialog.addEventListener("click", (event) => event.target === dialog && dialog.close());
  dialog.addEventListener("close", () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
  close.focus();
  return dialog;
}
