/**
 * Lock after a stretch without user activity (default 15 minutes, Bitwarden's web default). Activity is any
 * key press, pointer press, wheel or touch in the page; a check runs every 10 seconds, as Bitwarden's does.
 */
export const IDLE_LOCK_MS = 15 * 60 * 1000;
export const IDLE_CHECK_MS = 10 * 1000;
const ACTIVITY_EVENTS = ["keydown", "pointerdown", "wheel", "touchstart"] as const;

export type IdleOptions = {
  timeoutMs?: number;
  checkMs?: number;
  now?: () => number;
  /** Where activity is heard (window in the browser). */
  target?: Pick<EventTarget, "addEventListener" | "removeEventListener">;
};

/** Calls `onIdle` once the user has been inactive for `timeoutMs`; returns a function that stops watching. */
export function watchIdle(onIdle: () => void, options: IdleOptions = {}): () => void {
  const { timeoutMs = IDLE_LOCK_MS, checkMs = IDLE_CHECK_MS, now = Date.now, target } = options;
  let last = now();
  const touch = () => {
    last = now();
  };
  for (const name of ACTIVITY_EVENTS) target?.addEventListener(name, touch, { passive: true });
  const timer = setInterval(() => {
    if (now() - last >= timeoutMs) {
      stop();
      onIdle();
    }
  }, checkMs);
  function stop() {
    clearInterval(timer);
    for (const name of ACTIVITY_EVENTS) target?.removeEventListener(name, touch);
  }
  return stop;
}
