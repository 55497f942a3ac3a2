// Checklists of a plan: shared lists (events on plan:<id>) and my personal ones (events on my
// user:<id> topic), installed from REST and kept up to date by plan.checklist_* events. Items
// and lists carry versions: an event older than what the store holds changes nothing. Pure.

/** GET plans/{id}/checklists: the plan's shared lists and mine. */
export function installChecklists(store, list) {
  for (const checklist of list.results) {
    const held = store.checklists.get(checklist.id);
    if (!held || checklist.version >= held.version) store.checklists.set(checklist.id, checklist);
  }
}

export function checklistsOf(store, planId) {
  return [...store.checklists.values()]
    .filter((checklist) => checklist.plan === planId)
    .sort((a, b) => a.id - b.id);
}

const byPosition = (a, b) => a.position - b.position || a.id - b.id;

/** Put an item into its list if it is newer than the one held; true when something changed. */
export function keepItem(store, item) {
  const checklist = store.checklists.get(item.checklist);
  if (!checklist) return false;
  const held = checklist.items.find((other) => other.id === item.id);
  if (held && held.version >= item.version) return false;
  const items = checklist.items.filter((other) => other.id !== item.id);
  store.checklists.set(checklist.id, { ...checklist, items: [...items, item].sort(byPosition) });
  return true;
}

function changedPlan(ctx, planId) {
  ctx.changed("checklists", planId);
}

const onItem = (ctx, frame) => {
  if (keepItem(ctx.store, frame.data)) changedPlan(ctx, frame.data.plan);
};

function onItemDeleted(ctx, { data }) {
  const checklist = ctx.store.checklists.get(data.checklist_id);
  if (!checklist) return;
  const items = checklist.items.filter((item) => item.id !== data.item_id);
  if (items.length === checklist.items.length) return;
  ctx.store.checklists.set(checklist.id, { ...checklist, items });
  changedPlan(ctx, data.plan_id);
}

function onReordered(ctx, { data }) {
  const checklist = ctx.store.checklists.get(data.checklist_id);
  if (!checklist) return;
  const items = checklist.items.map((item) => {
    const version = data.versions[String(item.id)] ?? item.version;
    if (version <= item.version) return item;
    return { ...item, position: data.order.indexOf(item.id), version };
  });
  ctx.store.checklists.set(checklist.id, { ...checklist, items: items.sort(byPosition) });
  changedPlan(ctx, data.plan_id);
}

export const reducers = {
  "plan.checklist_created": (ctx, { data }) => {
    if (ctx.store.checklists.has(data.id)) return;
    ctx.store.checklists.set(data.id, data);
    changedPlan(ctx, data.plan);
  },
  "plan.checklist_renamed": (ctx, { data }) => {
    const checklist = ctx.store.checklists.get(data.checklist_id);
    if (!checklist || checklist.version >= data.version) return;
    ctx.store.checklists.set(checklist.id, {
      ...checklist,
      title: data.title,
      version: data.version,
    });
    changedPlan(ctx, data.plan_id);
  },
  "plan.checklist_deleted": (ctx, { data }) => {
    if (ctx.store.checklists.delete(data.checklist_id)) changedPlan(ctx, data.plan_id);
  },
  "plan.checklist_item_added": onItem,
  "plan.checklist_item_updated": onItem,
  "plan.checklist_item_ticked": onItem,
  "plan.checklist_item_unticked": onItem,
  "plan.checklist_item_deleted": onItemDeleted,
  "plan.checklist_reordered": onReordered,
};
