// The view side shared by the attendee page, the room screen and the overlay: what they read from
// the state live-connection.js keeps (slots, speakers, what is next, published questions, the poll
// on screen) and the small DOM helpers they build with. Nothing here talks to the server.

/** Lookups over the snapshot's agenda. */
export function findSlot(state, slotId) {
    return state.agenda.slots.find(slot => slot.id === slotId) ?? null;
}

export function findSpeaker(state, speakerId) {
    for (const slot of state.agenda.slots) {
        const speaker = slot.speakers.find(candidate => candidate.id === speakerId);
        if (speaker) {
            return speaker;
        }
    }
    return null;
}

/** What comes after the current speaker: the next speaker of the slot, else the next slot. */
export function whatIsNext(state) {
    const slots = state.agenda.slots;
    const live = state.live;
    const index = slots.findIndex(slot => slot.id === live?.currentSlotId);
    if (index >= 0) {
        const speakers = slots[index].speakers;
        const speakerIndex = speakers.findIndex(speaker => speaker.id === live.currentSpeakerId);
        if (speakerIndex >= 0 && speakerIndex + 1 < speakers.length) {
            return { slot: slots[index], speaker: speakers[speakerIndex + 1] };
        }
    }
    const next = slots[index + 1];
    return next ? { slot: next, speaker: next.speakers[0] ?? null } : null;
}

/** The poll on the room screen, if one is and this page knows it. */
export function screenPoll(state) {
    return state.live?.screenPollId ? state.polls.get(state.live.screenPollId) ?? null : null;
}

/** Published questions (approved or answered), optionally sorted. */
export function publishedQuestions(state, order = "votes") {
    const list = [...state.questions.values()].filter(question => question.status === "approved" || question.status === "answered");
    return order === "newest"
        ? list.sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt))
        : list.sort((a, b) => b.votes - a.votes || Date.parse(a.createdAt) - Date.parse(b.createdAt));
}

/** The event code from /e/{code}[/screen|/overlay]. */
export function eventCodeFromPath() {
    const match = /^\/e\/([^/]+)/.exec(location.pathname);
    return match ? decodeURIComponent(match[1]) : "";
}

/** A shortcut for creating an element with text (never HTML) and a class. */
export function element(tag, { text, className, attrs } = {}) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) {
        node.textContent = text;
    }
    if (className) {
        node.className = className;
    }
    for (const [name, value] of Object.entries(attrs ?? {})) {
        node.setAttribute(name, value);
    }
    return node;
}
