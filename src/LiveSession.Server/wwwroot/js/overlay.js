// The livestream overlay /e/{code}/overlay: current speaker; with ?question=1 also the question on screen.
import { LiveSession, eventCodeFromPath, findSpeaker } from "./live-connection.js";
import { chooseLanguage, setLanguage, t } from "./i18n.js";

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
});
if (displayKey) {
    session.start();
} else {
    session.setStatus("needs-link");
}
