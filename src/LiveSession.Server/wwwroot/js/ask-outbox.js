// Questions the attendee sent and the server has not answered for yet. Each keeps the requestId it was
// first sent with, so a retry after a lost connection or a reload can never store it twice
// (docs/protocol.md, "Safe retries"); they are kept in localStorage until the server answers.
import { errorCode } from "./live-connection.js";

/** Errors after which the outcome is not known: the question waits and is sent again, same requestId. */
const retryable = new Set(["offline", "outcome_unknown", "generic"]);
const retryDelayMs = 3000;

export class AskOutbox {
    /**
     * @param {import("./live-connection.js").LiveSession} session
     * @param {(change: { kind: "queued" | "sent" | "waiting" | "refused", item: object, result?: object, code?: string }) => void} onChange
     */
    constructor(session, onChange) {
        this.session = session;
        this.onChange = onChange;
        this.storageKey = `livesession.outbox.${session.eventCode}`;
        this.items = load(this.storageKey);
        this.sending = false;
        this.retryTimer = null;
        // Send when the page becomes live (a join after a reconnect), not on every update while it is.
        let wasLive = false;
        session.subscribe(state => {
            const live = state.status === "live" && state.ready;
            if (live && !wasLive) {
                this.flush();
            }
            wasLive = live;
        });
    }

    /** Keeps the question and sends it now if the page is live; the same text asked again while waiting is not a second question. */
    submit({ text, authorName, addressedToSpeakerId }) {
        let item = this.items.find(waiting => waiting.text === text);
        if (!item) {
            item = { requestId: newRequestId(), text, authorName: authorName || null, addressedToSpeakerId: addressedToSpeakerId || null, queuedAt: new Date().toISOString() };
            this.items.push(item);
            save(this.storageKey, this.items);
        }
        this.onChange({ kind: "queued", item });
        this.flush();
        return item;
    }

    /** Sends what waits, oldest first, one at a time; stops at the first error whose outcome is unknown. */
    async flush() {
        if (this.sending) {
            return;
        }
        this.sending = true;
        try {
            while (this.items.length > 0 && this.session.state.status === "live") {
                const item = this.items[0];
                try {
                    const result = await this.session.ask(item);
                    this.remove(item);
                    this.onChange({ kind: "sent", item, result });
                } catch (error) {
                    const code = errorCode(error);
                    if (retryable.has(code)) {
                        this.onChange({ kind: "waiting", item, code });
                        // The next "live" sends it again; a connection that stayed up is tried again shortly.
                        clearTimeout(this.retryTimer);
                        this.retryTimer = setTimeout(() => this.flush(), retryDelayMs);
                        return;
                    }
                    this.remove(item);
                    this.onChange({ kind: "refused", item, code });
                }
            }
        } finally {
            this.sending = false;
        }
    }

    remove(item) {
        this.items = this.items.filter(other => other !== item);
        save(this.storageKey, this.items);
    }
}

function newRequestId() {
    return globalThis.crypto?.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

function load(key) {
    try {
        const items = JSON.parse(localStorage.getItem(key) ?? "[]");
        return Array.isArray(items) ? items.filter(item => typeof item?.requestId === "string" && typeof item.text === "string") : [];
    } catch {
        return [];
    }
}

function save(key, items) {
    try {
        if (items.length > 0) {
            localStorage.setItem(key, JSON.stringify(items));
        } else {
            localStorage.removeItem(key);
        }
    } catch {
        // storage disabled: the questions wait as long as the page lives
    }
}
