/** Below Tailwind's `md`: one pane at a time, panels cover the thread. */
export function isNarrowScreen(): boolean {
  return typeof window !== 'undefined' && window.matchMedia('(max-width: 767px)').matches;
}

/** A phone or a tablet: focusing a text field pops up the on-screen keyboard over half the screen. */
export function hasOnScreenKeyboard(): boolean {
  return typeof window !== 'undefined' && (window.matchMedia('(pointer: coarse)').matches || isNarrowScreen());
}
