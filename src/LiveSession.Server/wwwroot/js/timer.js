// The speaking timer is sent as start instant + duration (+ pause instant) and ticked here,
// against the server's clock: serverNow = Date.now() + offset measured from serverTime.

/** { phase: "idle" | "running" | "warning" | "overrun", seconds, paused } for the timer at serverNowMs. */
export function readTimer(timer, serverNowMs) {
    if (!timer || !timer.startedAt) {
        return { phase: "idle", seconds: timer?.durationSeconds ?? 0, paused: false };
    }
    const started = Date.parse(timer.startedAt);
    const until = timer.pausedAt ? Date.parse(timer.pausedAt) : serverNowMs;
    const remaining = timer.durationSeconds - Math.floor((until - started) / 1000);
    const phase = remaining < 0 ? "overrun" : remaining <= 60 ? "warning" : "running";
    return { phase, seconds: Math.abs(remaining), paused: Boolean(timer.pausedAt) };
}

/** 2:05, or +0:42 when over time. */
export function formatTimer({ phase, seconds }) {
    const minutes = Math.floor(seconds / 60);
    const rest = String(seconds % 60).padStart(2, "0");
    return `${phase === "overrun" ? "+" : ""}${minutes}:${rest}`;
}

/**
 * Shows the live timer in `element` (hidden before a slot starts or while the timer is not started),
 * with `data-phase` for the colours and the text that `describe(timer)` makes of it.
 */
export function renderTimer(element, state, serverNowMs, describe) {
    if (!state.ready || !state.live.currentSlotId || !state.live.timer.startedAt) {
        element.hidden = true;
        return;
    }
    const timer = readTimer(state.live.timer, serverNowMs);
    element.hidden = false;
    element.dataset.phase = timer.phase;
    element.textContent = describe(timer);
}
