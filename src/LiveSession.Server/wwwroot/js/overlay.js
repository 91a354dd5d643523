// The livestream overlay /e/{code}/overlay: current speaker; with ?question=1 also the question or
// the poll on screen (a compact poll: its question, and its results while they are shown).
import { LiveSession, element, eventCodeFromPath, findSpeaker, screenPoll } from "./live-connection.js";
import { chooseLanguage, setLanguage, t } from "./i18n.js";
import { answersText, share } from "./poll-results.js";

const byId = id => document.getElementById(id);
const parameters = new URLSearchParams(location.search);
const showQuestion = parameters.get("question") === "1";
const displayKey = parameters.get("display");
const session = new LiveSession(eventCodeFromPath(), { displayKey });

await setLanguage(parameters.get("lang") ?? chooseLanguage());
session.subscribe(state => {
    // Without its display key (or with a rotated one) the overlay says where to get its link.
    const notice = byId("display-link");
    notice.hidden = state.status !== "needs-link";
    notice.textContent = displayKey ? t("display.linkInvalid") : t("display.linkMissing");
    if (!state.ready) {
        return;
    }
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
    byId("lower-third").dataset.state = ended ? "ended" : "live";
    byId("lower-third").dataset.visible = String(ended || Boolean(speaker));

    const question = showQuestion && state.live.screenQuestionId ? state.questions.get(state.live.screenQuestionId) : null;
    if (question) {
        byId("question-text").textContent = question.text;
        byId("question-author").textContent = question.authorName || t("questions.anonymous");
    }
    byId("question").dataset.visible = String(Boolean(question));
    showPoll(showQuestion && !ended ? screenPoll(state) : null);
});
if (displayKey) {
    session.start();
} else {
    session.setStatus("needs-link");
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
    const line = element("li", { className: "poll-line" });
    line.append(element("span", { className: "poll-line-text", text, attrs: { dir: "auto" } }), element("span", { className: "poll-line-figure", text: figure }));
    if (percent !== null) {
        const bar = element("span", { className: "poll-line-bar", attrs: { "aria-hidden": "true" } });
        bar.style.width = `${percent}%`;
        line.append(bar);
    }
    return line;
}
