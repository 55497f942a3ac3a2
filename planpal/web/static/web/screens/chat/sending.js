// Sending messages optimistically: a pending copy (matched later by client_id) shows at once;
// a photo or file is uploaded first (POST uploads), then sent as a message of the upload's
// kind. A failed send keeps its pending copy for Retry (reusing an upload that succeeded) or
// Discard (which deletes that upload: nothing else would show it).

import { api, newClientId } from "../../api.js";
import { errorMessage, toast } from "../../lib/toast.js";
import { outbox, submit } from "../../offline/sync.js";
import { sendMessage } from "../../offline/writes.js";
import { store } from "../../state/store.js";

/** content: a text string, or {kind: "location", lat, lng, location_name, text} or
 *  {kind: "file", file, text} (an image when the server finds the file is one). */
function fieldsOf(content, clientId, replyTo) {
  const fields = typeof content === "string" ? { kind: "text", text: content } : { ...content };
  delete fields.file;
  return { ...fields, client_id: clientId, reply_to: replyTo };
}

async function uploadOnce(content) {
  if (!content.file || content.upload) return;
  const form = new FormData();
  form.append("file", content.file, content.file.name);
  const upload = await api.post("uploads", form);
  content.upload = upload.id; // a retry sends this upload instead of uploading again
  content.kind = upload.kind;
}

/** {send(content, {clientId, replyTo}), discard(pending)} for one conversation's log. */
export function messageSender(conversationId, getRecord, render) {
  async function send(content, { clientId = newClientId(), replyTo = null } = {}) {
    const record = getRecord();
    const { id, username, display_name } = store.me;
    const pending = {
      ...fieldsOf(content, clientId, replyTo),
      file_name: content.file ? content.file.name : undefined,
      content,
      sender: { id, username, display_name },
      created_at: new Date().toISOString(),
      status: "sending",
    };
    record.pending.set(clientId, pending);
    render({ scroll: true });
    try {
      await uploadOnce(content);
      const fields = fieldsOf(content, clientId, replyTo);
      // A text or a place also goes offline: the outbox keeps it (shown as waiting) until sent.
      const sent = content.file
        ? { answer: await api.post(`conversations/${conversationId}/messages`, fields) }
        : await submit(sendMessage(conversationId, fields));
      const message = sent.answer;
      // Usually the message_sent event (same client_id) has replaced it already.
      if (message && !record.items.has(message.id)) record.items.set(message.id, message);
      record.pending.delete(clientId);
    } catch (error) {
      const failed = record.pending.get(clientId);
      if (failed) failed.status = "failed";
      toast(errorMessage(error), { error: true });
    }
    render();
  }

  /** A message of the outbox (offline/pending.js marks it with its entry's seq). */
  const entryOf = (pending) => outbox.entries.find((entry) => entry.seq === pending.entrySeq);

  function discard(pending) {
    const entry = entryOf(pending);
    if (entry) return outbox.discard(entry);
    getRecord().pending.delete(pending.client_id);
    render();
    const { upload } = pending.content || {};
    if (upload) api.del(`uploads/${upload}`).catch(() => {}); // collected within a day anyway
  }

  const retry = (pending) => {
    const entry = entryOf(pending);
    if (entry) return outbox.retry(entry);
    return send(pending.content, { clientId: pending.client_id, replyTo: pending.reply_to });
  };
  return { send, retry, discard };
}
