// Every keyboard shortcut of the console, in one table: the help overlay is
// drawn from it and useShortcuts() binds it, so a shortcut cannot exist
// without being listed. Dispatch shortcuts (acknowledge, assign, close…) are
// added here, in the 'dispatch' group, with an action; App.tsx then fails to
// compile until it handles that action.
import type { PlainMessageKey } from '../i18n/messages';

export type ShortcutGroup = 'general' | 'focus' | 'map' | 'lists' | 'dispatch';

/** A key as drawn on the help overlay: literal text, or a word to translate ("Esc" / "Échap"). */
export type KeyCap = string | { readonly message: PlainMessageKey };

export interface Shortcut {
  readonly group: ShortcutGroup;
  /** Alternative key combinations, each a list of keycaps (drawn "A or B"). */
  readonly caps: readonly (readonly KeyCap[])[];
  readonly description: PlainMessageKey;
  /**
   * What the console does; bound on the whole window. `null` for keys that
   * are handled elsewhere (Leaflet's own map keys, the dialog, a list) and
   * only listed here.
   */
  readonly action: string | null;
  /** KeyboardEvent.key values that trigger the action (letters match either case). */
  readonly keys: readonly string[];
}

export const SHORTCUTS = [
  { group: 'general', caps: [['?'], ['F1']], description: 'shortcut.help', action: 'toggle-help', keys: ['?', 'F1'] },
  { group: 'general', caps: [['L']], description: 'shortcut.language', action: 'toggle-language', keys: ['l'] },
  { group: 'general', caps: [['U']], description: 'shortcut.mute', action: 'toggle-mute', keys: ['u'] },
  { group: 'general', caps: [[{ message: 'keys.tab' }], [{ message: 'keys.shiftTab' }]], description: 'shortcut.tab', action: null, keys: [] },
  // HelpDialog's own (and every later dialog's).
  { group: 'general', caps: [[{ message: 'keys.escape' }]], description: 'shortcut.closeDialog', action: null, keys: [] },
  { group: 'focus', caps: [['M']], description: 'shortcut.focusMap', action: 'focus-map', keys: ['m'] },
  { group: 'focus', caps: [['S']], description: 'shortcut.focusSectors', action: 'focus-sectors', keys: ['s'] },
  { group: 'focus', caps: [['A']], description: 'shortcut.focusAlerts', action: 'focus-alerts', keys: ['a'] },
  // Leaflet's keyboard handler, active while the map has the focus.
  { group: 'map', caps: [['+'], ['−']], description: 'shortcut.zoom', action: null, keys: [] },
  { group: 'map', caps: [['←', '↑', '→', '↓']], description: 'shortcut.pan', action: null, keys: [] },
  // SectorList's own arrow keys.
  {
    group: 'lists',
    caps: [
      ['↑', '↓'],
      ['Home', 'End'],
    ],
    description: 'shortcut.listMove',
    action: null,
    keys: [],
  },
  // The alert queue's own keys (it has the focus).
  { group: 'dispatch', caps: [[{ message: 'keys.enter' }]], description: 'shortcut.acknowledge', action: null, keys: [] },
  { group: 'dispatch', caps: [['G']], description: 'shortcut.merge', action: null, keys: [] },
  // The selected incident's; anywhere outside a text field.
  { group: 'dispatch', caps: [['D']], description: 'shortcut.assignTop', action: 'assign-top', keys: ['d'] },
  { group: 'dispatch', caps: [['1', '…', '9']], description: 'shortcut.assignNth', action: 'assign-nth', keys: ['1', '2', '3', '4', '5', '6', '7', '8', '9'] },
  { group: 'dispatch', caps: [['O']], description: 'shortcut.override', action: 'toggle-override', keys: ['o'] },
  { group: 'dispatch', caps: [['C']], description: 'shortcut.closeIncident', action: 'close-incident', keys: ['c'] },
  { group: 'dispatch', caps: [['N']], description: 'shortcut.note', action: 'focus-note', keys: ['n'] },
  { group: 'dispatch', caps: [['E']], description: 'shortcut.enRoute', action: 'unit-en-route', keys: ['e'] },
  { group: 'dispatch', caps: [['R']], description: 'shortcut.clearUnit', action: 'unit-cleared', keys: ['r'] },
  // The map's; anywhere outside a text field.
  { group: 'map', caps: [['F']], description: 'shortcut.follow', action: 'toggle-follow', keys: ['f'] },
  { group: 'map', caps: [['Z']], description: 'shortcut.fitIncident', action: 'fit-incident', keys: ['z'] },
  // Map tools (issue 6): open their panel beside the map (map/MapTools.tsx); anywhere outside a text field.
  { group: 'map', caps: [['J']], description: 'shortcut.goto', action: 'open-goto', keys: ['j'] },
  { group: 'map', caps: [['P']], description: 'shortcut.findPlace', action: 'open-search', keys: ['p'] },
  { group: 'map', caps: [['K']], description: 'shortcut.measure', action: 'toggle-measure', keys: ['k'] },
  // Figures (issue 5): V for "view figures"; the dialog handles its own keys.
  { group: 'general', caps: [['V']], description: 'shortcut.figures', action: 'open-figures', keys: ['v'] },
  // Replay (issue 5): H for history; in replay mode the bar handles its own keys (renderer/replay/ReplayBar.tsx).
  { group: 'general', caps: [['H']], description: 'shortcut.replay', action: 'open-replay', keys: ['h'] },
  // Sector editor (issue 6): B for boundaries; supervisors only (nothing happens for other roles).
  { group: 'focus', caps: [['B']], description: 'shortcut.sectorEditor', action: 'focus-sector-editor', keys: ['b'] },
] as const satisfies readonly Shortcut[];

/** The actions the console must implement (one handler each, checked by the compiler). */
export type ShortcutAction = Exclude<(typeof SHORTCUTS)[number]['action'], null>;
/** Each handler gets the key pressed (1–9 need to know which). */
export type ShortcutHandlers = Record<ShortcutAction, (key: string) => void>;

/** Help overlay order; a group with no shortcut is not drawn. */
export const SHORTCUT_GROUPS: readonly { group: ShortcutGroup; title: PlainMessageKey }[] = [
  { group: 'general', title: 'help.group.general' },
  { group: 'focus', title: 'help.group.focus' },
  { group: 'map', title: 'help.group.map' },
  { group: 'lists', title: 'help.group.lists' },
  { group: 'dispatch', title: 'help.group.dispatch' },
];

const TEXT_INPUTS_EXCLUDED = new Set(['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file', 'image']);

/** True while the operator is typing: letters belong to the field then. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return target instanceof HTMLInputElement && !TEXT_INPUTS_EXCLUDED.has(target.type);
}

/** The action a key press asks for, or null (modified keys belong to the browser and the system). */
export function shortcutFor(event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey'>): ShortcutAction | null {
  if (event.ctrlKey || event.metaKey || event.altKey) return null;
  const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
  for (const shortcut of SHORTCUTS) {
    if (shortcut.action !== null && (shortcut.keys as readonly string[]).includes(key)) return shortcut.action;
  }
  return null;
}
