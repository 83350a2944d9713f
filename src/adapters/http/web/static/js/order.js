// Lists the user puts in order: drag and drop with the mouse, and up/down buttons as the
// keyboard way. Items are the list's children with a `data-id`.

import { h } from './ui.js';
import { t } from './i18n.js';

/** The ids of a list's items, in order. */
export const idsOf = (list) => [...list.children].filter((c) => c.dataset.id).map((c) => c.dataset.id);

/** Moves an item one place up (-1) or down (+1); true when it moved. */
export function move(item, delta) {
  const sibling = delta < 0 ? item.previousElementSibling : item.nextElementSibling;
  if (!sibling || !sibling.dataset.id) return false;
  if (delta < 0) sibling.before(item);
  else sibling.after(item);
  return true;
}

/** Up and down buttons for an item; `onMove` runs after a move. */
export function moveButtons(label, onMove) {
  const make = (delta, text, key) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'ghost small';
    b.textContent = text;
    b.dataset.move = String(delta);
    b.setAttribute('aria-label', t(key, { name: label }));
    b.addEventListener('click', () => {
      const item = b.closest('[data-id]');
      if (item && move(item, delta)) {
        b.focus();
        onMove(item);
      }
    });
    return b;
  };
  return [make(-1, '↑', 'order.move_up'), make(1, '↓', 'order.move_down')];
}

/** Lets the items of `list` be dragged into a new order; `onDrop(ids)` gets the new order. */
export function dragToReorder(list, onDrop) {
  let dragged = null;
  const clear = () => {
    for (const el of list.querySelectorAll('.drop-before, .drop-after')) el.classList.remove('drop-before', 'drop-after');
  };
  // where a drop on `over` puts the dragged item: after it from its lower half on
  const side = (over, e) => {
    const box = over.getBoundingClientRect();
    return e.clientY > box.top + box.height / 2 ? 'after' : 'before';
  };
  list.addEventListener('dragstart', (e) => {
    const item = e.target.closest?.('[data-id]');
    if (!item || item.parentElement !== list) return;
    dragged = item;
    item.classList.add('dragging');
    e.dataTransfer.effectAllowed = 'move';
    e.dataTransfer.setData('text/plain', item.dataset.id);
  });
  list.addEventListener('dragover', (e) => {
    if (!dragged) return;
    e.preventDefault();
    clear();
    const over = e.target.closest?.('[data-id]');
    if (over && over !== dragged && over.parentElement === list) over.classList.add(`drop-${side(over, e)}`);
  });
  list.addEventListener('drop', (e) => {
    if (!dragged) return;
    e.preventDefault();
    const over = e.target.closest?.('[data-id]');
    const before = idsOf(list).join();
    if (over && over !== dragged && over.parentElement === list) {
      if (side(over, e) === 'after') over.after(dragged);
      else over.before(dragged);
    } else if (!over) {
      list.append(dragged);
    }
    const after = idsOf(list);
    if (after.join() !== before) onDrop(after);
  });
  list.addEventListener('dragend', () => {
    dragged?.classList.remove('dragging');
    dragged = null;
    clear();
  });
}

/**
 * A list of names in order, each with a checkbox to use it. `show` gives the text people see
 * for a name (a language value in the chosen language, say); the name itself stays the id.
 */
export function orderList(id, label, chosen, known, show = (name) => name) {
  const names = [...chosen, ...known.filter((n) => !chosen.includes(n))];
  const list = h('ol', { class: 'order', id, 'aria-label': label });
  names.forEach((name, i) => {
    const box = h('input', { type: 'checkbox', id: `${id}-${i}`, checked: chosen.includes(name) });
    list.append(h('li', { dataset: { id: name }, draggable: true },
      h('label', { for: `${id}-${i}` }, box, show(name)),
      ...moveButtons(show(name), () => {})));
  });
  dragToReorder(list, () => {});
  return list;
}

/** The names of an order list that are ticked, in order. */
export function chosenOf(list) {
  return idsOf(list).filter((name) => list.querySelector(`li[data-id="${CSS.escape(name)}"] input`).checked);
}
