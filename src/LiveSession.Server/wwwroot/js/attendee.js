// The attendee page /e/{code}: what is on now, open polls, ask, my questions, published questions, agenda.
import { LiveSession, errorCode } from "./live-connection.js";
import { eventCodeFromPath, element, findSlot, findSpeaker, publishedQuestions, whatIsNext } from "./live-view.js";
import { bindLanguageSwitch, chooseLanguage, formatDate, formatTime, formatZone, language, onLanguageChange, plural, setLanguage, t } from "./i18n.js";
import { formatTimer, renderTimer } from "./timer.js";
import { AskOutbox } from "./ask-outbox.js";
import { AttendeePolls } from "./attendee-polls.js";

const byId = id => document.getElementById(id);
const origin = new URLSearchParams(location.search).get("via") === "room" ? "room" : "remote";
// The room screen's QR link carries a rotating pass: people behind the venue's one Wi-Fi address then all get in.
const roomPass = new URLSearchParams(location.search).get("pass");
const session = new LiveSession(eventCodeFromPath(), { origin, roomPass });
const limits = { min: 3, max: 500 };
let sortOrder = "votes";
let lastState = session.state;
/** The order the reader sees: kept as votes arrive (nothing moves under a finger) until they ask for a re-sort. */
let shownOrder = null;
/** Questions published since the reader's last sort: marked, and counted on the re-sort button. */
const arrivedSinceSort = new Set();
const outbox = new AskOutbox(session, outboxChanged);
const polls = new AttendeePolls(byId("polls"), session);

await setLanguage(chooseLanguage());
bindLanguageSwitch(byId("language"));
onLanguageChange(() => render(lastState));
byId("ask-room").hidden = origin !== "room";
byId("agenda-ics").href = `/e/${encodeURIComponent(session.eventCode)}/agenda.ics`;
byId("privacy-link").href = `/e/${encodeURIComponent(session.eventCode)}/privacy`;
loadPageSettings();
bindAskForm();
document.querySelectorAll("input[name=sort]").forEach(radio => radio.addEventListener("change", () => {
    sortOrder = radio.value;
    shownOrder = null;
    render(lastState);
}));
byId("resort").addEventListener("click", () => {
    shownOrder = null;
    render(lastState);
    byId("published").querySelector("button")?.focus();
});
session.subscribe((state, notices) => {
    lastState = state;
    render(state);
    announce(state, notices);
});
setInterval(() => showTimer(lastState), 1000);
session.start();

async function loadPageSettings() {
    try {
        const response = await fetch(`/e/${encodeURIComponent(session.eventCode)}/page.json`, { cache: "no-cache" });
        if (response.ok) {
            const loaded = await response.json();
            limits.min = loaded.minQuestionLength;
            limits.max = loaded.maxQuestionLength;
            byId("ask-name").maxLength = loaded.maxAuthorNameLength;
            updateCount();
        }
    } catch {
        // the defaults stand; the server enforces its own limits anyway
    }
}

function bindAskForm() {
    byId("ask-text").addEventListener("input", updateCount);
    // The button is never disabled: the outbox keeps the question (one requestId) until the server has answered for it.
    byId("ask-form").addEventListener("submit", event => {
        event.preventDefault();
        outbox.submit({ text: byId("ask-text").value, authorName: byId("ask-name").value.trim(), addressedToSpeakerId: byId("ask-to").value });
    });
    updateCount();
}

function outboxChanged({ kind, item, code }) {
    const box = byId("ask-text");
    if (kind === "sent") {
        if (box.value === item.text) {
            box.value = ""; // only now: nothing typed is lost on an error
            byId("ask-to").value = "";
            updateCount();
        }
        setFeedback("ok", t("ask.sent"));
    } else if (kind === "refused") {
        if (box.value.trim() === "") {
            box.value = item.text;
            updateCount();
        }
        const key = `error.${code}`;
        setFeedback("error", t(key) === key ? t("error.generic") : t(key));
    } else {
        setFeedback("info", kind === "queued" && session.state.status === "live" ? t("ask.sending") : t("ask.waiting"));
    }
    if (lastState.ready) {
        renderMine(lastState);
    }
}

function updateCount() {
    const count = [...byId("ask-text").value.trim()].length;
    const counter = byId("ask-count");
    counter.textContent = t("ask.count", { count, max: limits.max });
    counter.dataset.over = String(count > limits.max);
}

function setFeedback(kind, message) {
    const feedback = byId("ask-feedback");
    feedback.dataset.kind = kind;
    feedback.textContent = message;
}

function render(state) {
    const connection = byId("connection");
    connection.dataset.status = state.status;
    connection.textContent = t(`status.${state.status}`);
    updateCount();
    if (!state.ready) {
        return;
    }
    renderEvent(state);
    renderNow(state);
    polls.render(state);
    renderAskOptions(state);
    renderMine(state);
    renderPublished(state);
    renderAgenda(state);
}

function renderEvent(state) {
    const event = state.event;
    byId("event-title").textContent = event.title;
    document.title = event.title;
    const venue = event.room ? t("event.venue", { venue: event.venue, room: event.room }) : event.venue;
    // The zone is named: a remote viewer in Lisbon reads 17:15 as Brussels time, not theirs.
    byId("event-meta").textContent = `${venue} · ${formatDate(event.startsAt, event.timeZone)}, ${formatTime(event.startsAt, event.timeZone)} · ${t("event.times", { zone: formatZone(event.startsAt, event.timeZone) })}`;
}

function renderNow(state) {
    const slot = findSlot(state, state.live.currentSlotId);
    const speaker = findSpeaker(state, state.live.currentSpeakerId);
    const event = state.event;
    byId("now-slot").textContent = slot
        ? `${formatTime(slot.startsAt, event.timeZone)}–${formatTime(slot.endsAt, event.timeZone)} · ${slot.title}`
        : t("event.startsAt", { date: formatDate(event.startsAt, event.timeZone), time: formatTime(event.startsAt, event.timeZone) });
    byId("now-speaker").textContent = speaker ? describeSpeaker(speaker) : slot ? "" : t("now.notStarted");
    const next = whatIsNext(state);
    byId("next").textContent = next
        ? [next.speaker ? describeSpeaker(next.speaker) : null, next.slot.id !== slot?.id ? next.slot.title : null].filter(Boolean).join(" · ")
        : t("next.nothing");
    showTimer(state);
}

function showTimer(state) {
    renderTimer(byId("now-timer"), state, session.serverNow(), timer =>
        `${t(timer.phase === "overrun" ? "now.overrun" : "now.timeLeft")}: ${formatTimer(timer)}${timer.paused ? ` (${t("now.paused")})` : ""}`);
}

function renderAskOptions(state) {
    byId("ask-closed").hidden = state.live.qaOpen;
    const select = byId("ask-to");
    // The agenda never changes during an event: rebuild only for another language, so an open picker stays open.
    if (select.dataset.language === language()) {
        return;
    }
    select.dataset.language = language();
    const chosen = select.value;
    const options = [element("option", { text: t("ask.anyone"), attrs: { value: "" } })];
    for (const slot of state.agenda.slots) {
        for (const speaker of slot.speakers) {
            options.push(element("option", { text: describeSpeaker(speaker), attrs: { value: speaker.id } }));
        }
    }
    select.replaceChildren(...options);
    select.value = chosen;
}

function renderMine(state) {
    const mine = [...state.mine].map(id => state.questions.get(id)).filter(Boolean)
        .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
    const waiting = [...outbox.items].reverse().map(item => waitingItem(item));
    byId("mine").replaceChildren(...waiting, ...mine.map(question => questionItem(state, question, { mine: true })));
    byId("mine-none").hidden = mine.length + waiting.length > 0;
}

/** A question kept by the outbox: not stored yet, sent by itself when the connection is back. */
function waitingItem(item) {
    const entry = element("li", { className: "question", attrs: { "data-waiting": "true" } });
    entry.append(element("p", { className: "question-text", text: item.text, attrs: { dir: "auto" } }));
    const actions = element("div", { className: "question-actions" });
    actions.append(element("span", { className: "badge", text: t("status.question.sending"), attrs: { "data-status": "sending" } }));
    entry.append(actions);
    return entry;
}

function renderPublished(state) {
    const sorted = publishedQuestions(state, sortOrder);
    const byIdMap = new Map(sorted.map(question => [question.id, question]));
    if (shownOrder === null) {
        shownOrder = sorted.map(question => question.id);
        arrivedSinceSort.clear();
    }
    // Questions already shown keep their place; newly published ones join at the end until a re-sort.
    const known = new Set(shownOrder);
    for (const question of sorted) {
        if (!known.has(question.id)) {
            shownOrder.push(question.id);
            arrivedSinceSort.add(question.id);
        }
    }
    shownOrder = shownOrder.filter(id => byIdMap.has(id));
    const published = shownOrder.map(id => byIdMap.get(id));
    const arrived = published.filter(question => arrivedSinceSort.has(question.id)).length;
    const outOfOrder = published.some((question, index) => question.id !== sorted[index].id);
    const resort = byId("resort");
    resort.hidden = !outOfOrder;
    resort.textContent = arrived > 0 ? t("questions.resortNew", { count: arrived }) : t("questions.resort");
    resort.dataset.new = String(arrived);
    const focused = document.activeElement?.dataset?.questionId;
    byId("published").replaceChildren(...published.map(question => questionItem(state, question, { mine: false, isNew: arrivedSinceSort.has(question.id) })));
    if (focused) {
        document.querySelector(`#published button[data-question-id="${CSS.escape(focused)}"]`)?.focus();
    }
    byId("published-none").hidden = published.length > 0;
}

function questionItem(state, question, { mine, isNew = false }) {
    const onScreen = state.live.screenQuestionId === question.id;
    const item = element("li", { className: "question", attrs: { "data-on-screen": String(onScreen), "data-id": question.id, "data-status": question.status, "data-new": String(isNew) } });
    item.append(element("p", { className: "question-text", text: question.text, attrs: { dir: "auto" } }));
    item.append(questionMeta(state, question));

    const actions = element("div", { className: "question-actions" });
    if (mine) {
        const status = onScreen && question.status === "approved" ? "onscreen" : question.status;
        actions.append(element("span", { className: "badge", text: t(`status.question.${status}`), attrs: { "data-status": status } }));
        if (question.status === "pending") {
            const withdraw = element("button", { text: t("mine.withdraw"), attrs: { type: "button" } });
            withdraw.addEventListener("click", () => session.withdraw(question.id).catch(showError));
            actions.append(withdraw);
        }
    } else {
        if (onScreen) {
            actions.append(element("span", { className: "badge", text: t("questions.onScreen"), attrs: { "data-status": "onscreen" } }));
        } else if (question.status === "answered") {
            actions.append(element("span", { className: "badge", text: t("status.question.answered"), attrs: { "data-status": "answered" } }));
        }
        if (question.status === "approved") {
            const voted = state.voted.has(question.id);
            const vote = element("button", {
                className: "vote",
                text: voted ? t("questions.voted") : t("questions.vote"),
                attrs: { type: "button", "aria-pressed": String(voted), "aria-label": t("questions.voteFor", { text: question.text }), "data-question-id": question.id },
            });
            vote.addEventListener("click", () => session.setVote(question.id, !state.voted.has(question.id)).catch(showError));
            actions.append(vote);
        }
    }
    actions.append(element("span", { className: "question-votes", text: votesText(question.votes) }));
    item.append(actions);
    return item;
}

/**
 * Who asked, to whom, from where. Names are user text in any script: each is isolated in a
 * <bdi>, so an Arabic or Hebrew name does not reorder the separators around it.
 */
function questionMeta(state, question) {
    const meta = element("p", { className: "question-meta" });
    const parts = [];
    parts.push(question.authorName ? element("bdi", { text: question.authorName }) : document.createTextNode(t("questions.anonymous")));
    const addressed = question.addressedToSpeakerId && findSpeaker(state, question.addressedToSpeakerId);
    if (addressed) {
        // The translation places the name ("to {name}" / "à {name}"): split around it.
        const [before, after = ""] = t("questions.to", { name: "\u0000" }).split("\u0000");
        const to = element("span");
        to.append(before, element("bdi", { text: addressed.name }), after);
        parts.push(to);
    }
    if (question.origin === "room") {
        parts.push(document.createTextNode(t("questions.fromRoom")));
    }
    parts.forEach((part, index) => {
        if (index > 0) {
            meta.append(" · ");
        }
        meta.append(part);
    });
    return meta;
}

function renderAgenda(state) {
    const timeZone = state.event.timeZone;
    byId("agenda").replaceChildren(...state.agenda.slots.map(slot => {
        const current = slot.id === state.live.currentSlotId;
        const item = element("li", { attrs: current ? { "aria-current": "true" } : {} });
        item.append(element("span", { className: "agenda-time", text: `${formatTime(slot.startsAt, timeZone)}–${formatTime(slot.endsAt, timeZone)}` }));
        item.append(element("span", { className: "agenda-title", text: slot.title }));
        if (current) {
            item.append(element("span", { className: "agenda-now", text: t("agenda.current") }));
        }
        if (slot.speakers.length > 0) {
            item.append(element("p", { className: "agenda-speakers", text: slot.speakers.map(speaker => speaker.name).join(", ") }));
        }
        return item;
    }));
}

function announce(state, notices) {
    const messages = notices.map(notice => {
        switch (notice.kind) {
            case "speaker":
                return t("announce.speaker", { name: describeSpeaker(findSpeaker(state, notice.speakerId) ?? { name: "" }) });
            case "published":
                return t("announce.published", { text: notice.question.text });
            case "pollOpened":
                return t("announce.pollOpened", { question: notice.poll.question });
            case "pollClosed":
                return t("announce.pollClosed", { question: notice.poll.question });
            default:
                return t("announce.pollResults", { question: notice.poll.question });
        }
    });
    if (messages.length > 0) {
        byId("announcer").textContent = messages.join(" ");
    }
}

function showError(error) {
    const key = `error.${errorCode(error)}`;
    setFeedback("error", t(key) === key ? t("error.generic") : t(key));
}

function describeSpeaker(speaker) {
    return speaker.affiliation ? `${speaker.name} (${speaker.affiliation})` : speaker.name;
}

function votesText(count) {
    return plural("questions.votes", count);
}
