// The livestream overlay /e/{code}/overlay: current speaker in a lower third that moderators can hide
// (live.lowerThirdHidden); with ?question=1 also the question or the poll on screen (a compact poll:
// its question, and its results while they are shown). Query options and the CSS hook for a broadcast
// tool's Custom CSS: docs/attendee-pages.md, "OBS overlay".
import { LiveSession } from "./live-connection.js";
import { element, eventCodeFromPath, findSlot, findSpeaker, screenPoll } from "./live-view.js";
import { chooseLanguage, setLanguage, t } from "./i18n.js";
import { answersText, share } from "./poll-results.js";
import { formatTimer, renderTimer } from "./timer.js";

const byId = id => document.getElementById(id);
const parameters = new URLSearchParams(location.search);
const showQuestion = parameters.get("question") === "1";
const showTimer = parameters.get("timer") === "1";
const showSlot = parameters.get("slot") === "1";
const displayKey = parameters.get("display");
// Only the documented values: anything else keeps the default place.
document.body.dataset.position = parameters.get("position") === "top" ? "top" : "bottom";
document.body.dataset.align = parameters.get("align") === "right" ? "right" : "left";
const session = new LiveSession(eventCodeFromPath(), { displayKey });
let lastState = session.state;

await setLanguage(parameters.get("lang") ?? chooseLanguage());
session.subscribe(state => {
    lastState = state;
    // Without its display key (or with a rotated one) the overlay says where to get its link.
    const notice = byId("display-link");
    notice.hidden = state.status !== "needs-link";
    notice.textContent = displayKey ? t("display.linkInvalid") : t("display.linkMissing");
    if (!state.ready) {
        return;
    }
    const slot = findSlot(state, state.live.currentSlotId);
    const speaker = findSpeaker(state, state.live.currentSpeakerId);
    const ended = Boolean(state.live.ended);
    if (ended) {
        // The end state: the lower third says so under the event's title.
        byId("speaker-name").textContent = state.event.title;
        byId("speaker-affiliation").textContent = t("overlay.ended");
    } else if (speaker) {
        byId("speaker-name").textContent = speaker.name;
        byId("speaker-affiliation").textContent = speaker.affiliation ?? "";
    }
    const slotTitle = byId("slot-title");
    slotTitle.hidden = !showSlot || ended || !slot;
    slotTitle.textContent = slot?.title ?? "";
    // Moderators' switch (console, POST …/overlay/hide|show); it comes with every snapshot, so a
    // reloaded or reconnected overlay stays as they left it.
    const hiddenByModerators = Boolean(state.live.lowerThirdHidden);
    document.body.dataset.lowerThird = hiddenByModerators ? "hidden" : "shown";
    const lowerThird = byId("lower-third");
    lowerThird.dataset.state = ended ? "ended" : "live";
    lowerThird.dataset.visible = String(!hiddenByModerators && (ended || Boolean(speaker)));
    tickTimer(state);

    const question = showQuestion && state.live.screenQuestionId ? state.questions.get(state.live.screenQuestionId) : null;
    if (question) {
        byId("question-text").textContent = question.text;
        byId("question-author").textContent = question.authorName || t("questions.anonymous");
    }
    byId("question").dataset.visible = String(Boolean(question));
    showPoll(showQuestion && !ended ? screenPoll(state) : null);
});
if (showTimer) {
    setInterval(() => tickTimer(lastState), 250);
}
if (displayKey) {
    session.start();
} else {
    session.setStatus("needs-link");
}

/** ?timer=1: the speaking timer in the lower third, as on the room screen; none in a break or after the end. */
function tickTimer(state) {
    const timer = byId("timer");
    if (!showTimer || !state.ready || state.live.ended || findSlot(state, state.live.currentSlotId)?.kind === "break") {
        timer.hidden = true;
        return;
    }
    renderTimer(timer, state, session.serverNow(), formatTimer);
}

/** The compact poll: one line per choice (its share while results are shown), or the top words. */
function showPoll(poll) {
    const box = byId("poll");
    box.dataset.visible = String(Boolean(poll));
    if (!poll) {
        return;
    }
    const shown = Boolean(poll.resultsVisible && poll.results);
    box.dataset.results = shown ? "shown" : "hidden";
    byId("poll-question").textContent = poll.question;
    byId("poll-total").textContent = shown ? answersText(poll.results.total) : "";
    const items = poll.kind === "words"
        ? (shown ? [...poll.results.words].sort((a, b) => b.count - a.count).slice(0, 6) : []).map(word => item(word.text, String(word.count), null))
        : poll.choices.map(choice => {
            const percent = shown ? share(poll.results.counts?.[choice.id] ?? 0, poll.results.total) : null;
            return item(choice.text, percent === null ? "" : `${percent}%`, percent);
        });
    byId("poll-items").replaceChildren(...items);
}

function item(text, figure, percent) {
    const line = element("li", { className: "overlay-poll-line" });
    line.append(element("span", { className: "overlay-poll-line-text", text, attrs: { dir: "auto" } }), element("span", { className: "overlay-poll-line-figure", text: figure }));
    if (percent !== null) {
        const bar = element("span", { className: "overlay-poll-line-bar", attrs: { "aria-hidden": "true" } });
        bar.style.width = `${percent}%`;
        line.append(bar);
    }
    return line;
}
