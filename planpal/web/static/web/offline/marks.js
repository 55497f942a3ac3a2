// The words of the mark on something shown with a change still on this device
// (offline/pending.js sets `sync`): the activity cards and the chat's messages say the same.

import { t } from "../lib/i18n.js";

const MARKS = {
  pending: () => t("offline.mark.pending"),
  conflict: () => t("offline.mark.conflict"),
  failed: () => t("offline.mark.failed"),
};

export const markText = (sync) => MARKS[sync]();
