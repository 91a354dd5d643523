// The room screen /e/{code}/screen: unattended, recovers by itself, readable from afar.
// Its states (data-state on #stage): before the start, a talk, Q&A (a question on screen is the
// hero), a poll on screen (its question and live results are the hero), a break (no speaking
// timer), and the end of the event.
import { LiveSession } from "./live-connection.js";
import { eventCodeFromPath, element, findSlot, findSpeaker, publishedQuestions, screenPoll, whatIsNext } from "./live-view.js";
import { chooseLanguage, formatDate, formatTime, onLanguageChange, plural, setLanguage, t } from "./i18n.js";
import { formatTimer, renderTimer } from "./timer.js";
import { fitText } from "./fit-text.js";
import { answersText, drawChoices, drawResults } from "./poll-results.js";

const byId = id => document.getElementById(id);
const code = eventCodeFromPath();
const displayKey = new URLSearchParams(location.search).get("display");
const session = new LiveSession(code, { displayKey });
let lastState = session.state;

await setLanguage(new URLSearchParams(location.search).get("lang") ?? chooseLanguage());
onLanguageChange(() => render(lastState));
showQrCode();
// The QR link carries the room pass, which rotates (LiveSession:RoomPassLifetime): draw it again every minute.
setInterval(showQrCode, 60_000);
showShortLink();
session.subscribe(state => {
    lastState = state;
    render(state);
});
setInterval(() => showTimer(lastState), 250);
addEventListener("resize", () => {
    fitOnScreenQuestion(true);
    fitPollBody();
});
if (displayKey) {
    session.start();
} else {
    session.setStatus("needs-link");
}

/** The join code; with the display key its link carries the current room pass. */
function showQrCode() {
    const display = displayKey ? `&display=${encodeURIComponent(displayKey)}` : "";
    byId("qr").src = `/e/${encodeURIComponent(code)}/qr.svg?t=${Math.floor(Date.now() / 60_000)}${display}`;
}

/** The public link (LiveSession:PublicBaseUrl), without its scheme: short enough to type from the screen. */
async function showShortLink() {
    byId("short-link").textContent = `${location.host}/e/${code}`;
    try {
        const response = await fetch(`/e/${encodeURIComponent(code)}/page.json`, { cache: "no-cache" });
        if (response.ok) {
            byId("short-link").textContent = (await response.json()).attendeeLink.replace(/^https?:\/\//, "");
        }
    } catch {
        // keep this host's address
    }
}

/** before | talk | qa | poll | break | ended */
export function screenState(state) {
    if (state.live.ended) {
        return "ended";
    }
    if (state.live.screenQuestionId && state.questions.has(state.live.screenQuestionId)) {
        return "qa";
    }
    if (screenPoll(state)) {
        return "poll";
    }
    const slot = findSlot(state, state.live.currentSlotId);
    if (!slot) {
        return "before";
    }
    return slot.kind === "break" ? "break" : "talk";
}

function render(state) {
    const marker = byId("reconnecting");
    marker.hidden = state.status === "live" || state.status === "needs-link";
    marker.textContent = t("screen.reconnecting");
    showLinkNeeded(state);
    if (!state.ready) {
        return;
    }
    const event = state.event;
    const mode = screenState(state);
    byId("stage").dataset.state = mode;
    byId("event-title").textContent = event.title;
    byId("qr").alt = t(mode === "poll" ? "screen.pollCall" : "screen.joinCall");
    byId("join-title").textContent = t(mode === "poll" ? "screen.joinPoll" : "screen.join");
    const slot = findSlot(state, state.live.currentSlotId);
    const speaker = mode === "break" ? null : findSpeaker(state, state.live.currentSpeakerId);
    byId("slot-title").textContent = mode === "ended"
        ? event.title
        : mode === "break"
            ? t("screen.breakUntil", { title: slot.title, time: formatTime(slot.endsAt, event.timeZone) })
            : slot?.title ?? t("event.startsAt", { date: formatDate(event.startsAt, event.timeZone), time: formatTime(event.startsAt, event.timeZone) });
    byId("speaker-name").textContent = speaker?.name ?? "";
    byId("speaker-affiliation").textContent = speaker?.affiliation ?? "";
    const next = mode === "ended" ? null : whatIsNext(state);
    byId("next").textContent = next
        ? `${t("next.heading")}: ${[next.speaker?.name, next.slot.id !== slot?.id ? next.slot.title : null].filter(Boolean).join(" · ")}`
        : "";
    byId("ended").hidden = mode !== "ended";
    byId("ended-title").textContent = event.title;
    byId("ended-thanks").textContent = t("screen.ended");
    showTimer(state);
    renderQuestions(state, mode);
}

function showTimer(state) {
    const timer = byId("timer");
    if (!state.ready || ["break", "ended"].includes(screenState(state))) {
        timer.hidden = true; // a break has no speaker: no speaking countdown
        return;
    }
    renderTimer(timer, state, session.serverNow(), formatTimer);
}

function renderQuestions(state, mode) {
    const panel = byId("questions");
    if (mode === "ended") {
        panel.replaceChildren();
        return;
    }
    if (mode === "poll") {
        renderPoll(panel, screenPoll(state));
        return;
    }
    if (mode === "qa") {
        const onScreen = state.questions.get(state.live.screenQuestionId);
        const box = element("div", { className: "on-screen", attrs: { "data-question-id": onScreen.id } });
        box.append(element("p", { className: "on-screen-text", text: onScreen.text, attrs: { dir: "auto" } }));
        box.append(element("p", { className: "on-screen-meta", text: questionMeta(state, onScreen), attrs: { dir: "auto" } }));
        panel.replaceChildren(element("h2", { text: t("screen.question") }), box);
        fitOnScreenQuestion();
        return;
    }
    const top = publishedQuestions(state, "votes").filter(question => question.status === "approved").slice(0, 3);
    if (top.length > 0) {
        const list = element("ol", { className: "top-questions" });
        list.append(...top.map(question => {
            const item = element("li");
            item.append(element("span", { className: "votes", text: String(question.votes) }), element("span", { text: question.text, attrs: { dir: "auto" } }));
            return item;
        }));
        panel.replaceChildren(element("h2", { text: t("screen.topQuestions") }), list);
        return;
    }
    panel.replaceChildren(element("p", { className: "join-call", text: t("screen.joinCall") }));
}

/** Author · to whom · from where · votes. */
function questionMeta(state, question) {
    const parts = [question.authorName || t("questions.anonymous")];
    const addressed = question.addressedToSpeakerId && findSpeaker(state, question.addressedToSpeakerId);
    if (addressed) {
        parts.push(t("questions.to", { name: addressed.name }));
    }
    parts.push(t(question.origin === "room" ? "questions.fromRoom" : "questions.fromRemote"));
    parts.push(plural("questions.votes", question.votes));
    return parts.join(" · ");
}

/**
 * The poll on screen, updated in place while its results arrive (bars move, the question is
 * fitted once): built again only for another poll, another language, or results shown or hidden.
 */
function renderPoll(panel, poll) {
    const shown = Boolean(poll.resultsVisible && poll.results);
    const key = `${poll.id}|${poll.revision}|${document.documentElement.lang}`;
    let box = panel.querySelector(":scope > .on-screen-poll");
    if (!box || box.dataset.key !== key) {
        box = element("div", { className: "on-screen on-screen-poll", attrs: { "data-key": key, "data-poll-id": poll.id, "data-kind": poll.kind, "data-many": String(poll.choices.length > 5) } });
        box.append(
            element("p", { className: "on-screen-text poll-screen-question", text: poll.question, attrs: { dir: "auto" } }),
            element("div", { className: "poll-screen-body" }),
            element("p", { className: "on-screen-meta poll-screen-meta" }));
        panel.replaceChildren(element("h2", { text: t("screen.poll") }), box);
        if (!shown) {
            if (poll.kind === "words") {
                box.querySelector(".poll-screen-body").replaceChildren(element("p", { className: "join-call", text: t("screen.pollWords") }));
            } else {
                drawChoices(box.querySelector(".poll-screen-body"), poll);
            }
        }
        fitOnScreenQuestion(true);
    }
    box.dataset.status = poll.status;
    box.dataset.results = shown ? "shown" : "hidden";
    if (shown) {
        drawResults(box.querySelector(".poll-screen-body"), poll, { cloudScale: 3.2 });
    }
    fitPollBody();
    const meta = [poll.status === "closed" ? t("screen.pollClosed") : t("screen.pollOpen")];
    if (shown) {
        meta.push(answersText(poll.results.total));
    }
    const text = meta.join(" · ");
    const line = box.querySelector(".poll-screen-meta");
    if (line.textContent !== text) {
        line.textContent = text;
    }
}

/** A poll's choices, bars or words as large as fits their box (counts can widen a column, words come and go). */
function fitPollBody() {
    const body = document.querySelector(".poll-screen-body");
    if (body) {
        fitText(body, { minPx: 10, maxPx: Math.round(innerWidth * 0.02) });
    }
}

/** The question on screen fitted to its box; a poll's question only when built or resized, not per result. */
function fitOnScreenQuestion(poll = false) {
    const text = document.querySelector(".on-screen-text");
    if (text && (poll || !text.classList.contains("poll-screen-question"))) {
        fitText(text, { minPx: 12, maxPx: Math.round(innerWidth * (text.classList.contains("poll-screen-question") ? 0.036 : 0.045)) });
    }
}

/** Without its display key (or with a rotated one) the screen says where to get its link. */
export function showLinkNeeded(state) {
    const notice = byId("display-link");
    notice.hidden = state.status !== "needs-link";
    notice.textContent = displayKey ? t("display.linkInvalid") : t("display.linkMissing");
}
