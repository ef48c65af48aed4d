/** Inline icons (no icon font: the fonts on a teammate's machine may lack the glyphs). */
export function CopyIcon() {
  return (
    <svg width="14" height="14" viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.5">
      <rect x="5" y="5" width="9" height="9" rx="1.5" />
      <path d="M11 5V3.5A1.5 1.5 0 0 0 9.5 2h-6A1.5 1.5 0 0 0 2 3.5v6A1.5 1.5 0 0 0 3.5 11H5" />
    </svg>
  );
}

/** Three bars: the phone menu that holds the top bar's less-used tools. */
export function MenuIcon() {
  return (
    <svg width="20" height="20" viewBox="0 0 20 20" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round">
      <path d="M3 5h14M3 10h14M3 15h14" />
    </svg>
  );
}

/** Sliders: settings, where a narrow screen has no room for the word. */
export function SettingsIcon() {
  return (
    <svg width="18" height="18" viewBox="0 0 20 20" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round">
      <path d="M3 5h14M3 10h14M3 15h14" />
      <circle cx="7" cy="5" r="1.8" fill="#fff" />
      <circle cx="13" cy="10" r="1.8" fill="#fff" />
      <circle cx="9" cy="15" r="1.8" fill="#fff" />
    </svg>
  );
}
