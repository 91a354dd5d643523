// The room screen /e/{code}/screen: unattended, recovers by itself, readable from afar.
import { LiveSession, eventCodeFromPath, element, findSlot, findSpeaker, publishedQuestions, whatIsNext } from "./live-connection.js";
import { chooseLanguage, formatDate, formatTime, onLanguageChange, setLanguage, t } from "./i18n.js";
import { formatTimer, renderTimer } from "./timer.js";

const byId = id => document.getElementById(id);
const code = eventCodeFromPath();
const session = new LiveSession(code, { origin: "screen" });
let lastState = session.state;

await setLanguage(new URLSearchParams(location.search).get("lang") ?? chooseLanguage());
onLanguageChange(() => render(lastState));
byId("qr").src = `/e/${encodeURIComponent(code)}/qr.svg`;
showShortLink();
session.subscribe(state => {
    lastState = state;
    render(state);
});
setInterval(() => showTimer(lastState), 250);
session.start();

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

function render(state) {
    const marker = byId("reconnecting");
    marker.hidden = state.status === "live";
    marker.textContent = t("screen.reconnecting");
    if (!state.ready) {
        return;
    }
    const event = state.event;
    byId("event-title").textContent = event.title;
    byId("qr").alt = t("screen.joinCall");
    const slot = findSlot(state, state.live.currentSlotId);
    const speaker = findSpeaker(state, state.live.currentSpeakerId);
    byId("slot-title").textContent = slot
        ? slot.title
        : t("event.startsAt", { date: formatDate(event.startsAt, event.timeZone), time: formatTime(event.startsAt, event.timeZone) });
    byId("speaker-name").textContent = speaker?.name ?? "";
    byId("speaker-affiliation").textContent = speaker?.affiliation ?? "";
    const next = whatIsNext(state);
    byId("next").textContent = next
        ? `${t("next.heading")}: ${[next.speaker?.name, next.slot.id !== slot?.id ? next.slot.title : null].filter(Boolean).join(" · ")}`
        : "";
    showTimer(state);
    renderQuestions(state);
}

function showTimer(state) {
    renderTimer(byId("timer"), state, session.serverNow(), formatTimer);
}

function renderQuestions(state) {
    const panel = byId("questions");
    const onScreen = state.live.screenQuestionId && state.questions.get(state.live.screenQuestionId);
    if (onScreen) {
        const box = element("div", { className: "on-screen", attrs: { "data-question-id": onScreen.id } });
        box.append(element("p", { className: "on-screen-text", text: onScreen.text, attrs: { dir: "auto" } }));
        const votes = onScreen.votes === 1 ? t("questions.oneVote") : t("questions.votes", { count: onScreen.votes });
        box.append(element("p", { className: "on-screen-meta", text: `${onScreen.authorName || t("questions.anonymous")} · ${votes}`, attrs: { dir: "auto" } }));
        panel.replaceChildren(element("h2", { text: t("screen.question") }), box);
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
