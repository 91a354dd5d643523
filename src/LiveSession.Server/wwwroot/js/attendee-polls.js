// The attendee page's polls: one card per open poll (and per closed one worth seeing: answered, or
// with results shown). A card is built once (again only for another language) and then updated in
// place, so what someone is choosing or typing survives every push; their choice in progress (the
// draft) is kept until the server has stored an answer.
import { errorCode } from "./live-connection.js";
import { element } from "./live-view.js";
import { language, t } from "./i18n.js";
import { answersText, choiceTexts, drawResults } from "./poll-results.js";

const maxWordLength = 40;

export class AttendeePolls {
    /** @param {HTMLElement} container  @param {import("./live-connection.js").LiveSession} session */
    constructor(container, session) {
        this.container = container;
        this.session = session;
        this.cards = new Map();
    }

    render(state) {
        const shown = [...state.polls.values()]
            .filter(poll => poll.status === "open"
                || (poll.status === "closed" && (poll.resultsVisible || state.pollAnswers.has(poll.id))))
            .sort((a, b) => rank(a) - rank(b) || Date.parse(b.openedAt ?? b.createdAt) - Date.parse(a.openedAt ?? a.createdAt));
        for (const [id, card] of this.cards) {
            if (!shown.some(poll => poll.id === id)) {
                card.node.remove();
                this.cards.delete(id);
            }
        }
        shown.forEach((poll, index) => {
            let card = this.cards.get(poll.id);
            if (!card) {
                card = new PollCard(this.session, poll);
                this.cards.set(poll.id, card);
            }
            card.update(poll, state.pollAnswers.get(poll.id) ?? null, state.live?.screenPollId === poll.id);
            // Move only what is out of place: moving a node takes the focus out of it.
            if (this.container.children[index] !== card.node) {
                this.container.insertBefore(card.node, this.container.children[index] ?? null);
            }
        });
        this.container.hidden = shown.length === 0;
    }
}

/** Open polls first. */
function rank(poll) {
    return poll.status === "open" ? 0 : 1;
}

class PollCard {
    constructor(session, poll) {
        this.session = session;
        this.poll = poll;
        this.answer = null;
        this.draft = null; // { choiceIds, words } being chosen, not yet stored
        this.feedback = null; // { kind, key, values }
        this.node = element("section", { className: "card poll", attrs: { "data-poll-id": poll.id, "aria-labelledby": `${this.id("heading")} ${this.id("question")}` } });
        this.build();
    }

    id(part) {
        return `poll-${this.poll.id}-${part}`;
    }

    /** The card's structure and static texts, in the current language. */
    build() {
        const poll = this.poll;
        this.language = language();
        const head = element("div", { className: "poll-head" });
        this.badge = element("span", { className: "badge poll-status" });
        this.onScreen = element("span", { className: "badge", text: t("questions.onScreen"), attrs: { "data-status": "onscreen" } });
        head.append(element("h2", { text: t("polls.heading"), attrs: { id: this.id("heading") } }), this.badge, this.onScreen);

        this.form = element("form", { className: "poll-form", attrs: { novalidate: "" } });
        this.fieldset = element("fieldset", { className: "poll-fieldset", attrs: { "aria-describedby": this.id("hint") } });
        this.fieldset.append(element("legend", { className: "poll-question", text: poll.question, attrs: { dir: "auto", id: this.id("question") } }));
        this.fieldset.append(element("p", { className: "muted poll-hint", text: hint(poll), attrs: { id: this.id("hint") } }));
        this.inputs = poll.kind === "words" ? this.wordInputs() : this.choiceInputs();
        this.submit = element("button", { className: "poll-submit", attrs: { type: "submit" } });
        this.status = element("p", { className: "feedback poll-feedback", attrs: { role: "status", "aria-live": "polite" } });
        this.mine = element("p", { className: "poll-mine", attrs: { dir: "auto" } });
        this.form.append(this.fieldset, this.submit, this.status, this.mine);
        this.form.addEventListener("input", () => this.keepDraft());
        this.form.addEventListener("change", () => this.keepDraft());
        this.form.addEventListener("submit", event => {
            event.preventDefault();
            this.send();
        });

        // Not a landmark of its own (every poll's would be called "Results"): the heading inside names it.
        this.results = element("div", { className: "poll-results", attrs: { "aria-live": "polite" } });
        this.resultsTotal = element("p", { className: "poll-total" });
        this.resultsBody = element("div", { className: "poll-results-body" });
        this.results.append(element("h3", { text: t("polls.results"), attrs: { id: this.id("results") } }), this.resultsTotal, this.resultsBody);
        this.node.replaceChildren(head, this.form, this.results);
    }

    choiceInputs() {
        const poll = this.poll;
        const box = element("div", { className: "poll-options" });
        const inputs = poll.choices.map(choice => {
            const label = element("label", { className: "poll-option" });
            const input = element("input", {
                attrs: { type: poll.kind === "single" ? "radio" : "checkbox", name: this.id("choice"), value: choice.id },
            });
            label.append(input, element("span", { text: choice.text, attrs: { dir: "auto" } }));
            box.append(label);
            return input;
        });
        this.fieldset.append(box);
        return inputs;
    }

    wordInputs() {
        const box = element("div", { className: "poll-words" });
        const inputs = [];
        for (let index = 0; index < Math.max(1, this.poll.maxChoices); index++) {
            const input = element("input", {
                attrs: { type: "text", id: this.id(`word-${index}`), maxlength: String(maxWordLength), autocomplete: "off", dir: "auto", spellcheck: "true" },
            });
            box.append(element("label", { text: t("polls.word", { n: index + 1 }), attrs: { for: input.id } }), input);
            inputs.push(input);
        }
        this.fieldset.append(box);
        return inputs;
    }

    update(poll, answer, onScreen = false) {
        if (this.language !== language()) {
            const draft = this.draft ?? this.read();
            this.poll = poll;
            this.build();
            this.write(draft);
        }
        this.poll = poll;
        this.answer = answer;
        const open = poll.status === "open";
        this.node.dataset.status = poll.status;
        this.onScreen.hidden = !onScreen;
        this.badge.dataset.status = open ? "open" : "closed";
        this.badge.textContent = t(open ? "polls.open" : "polls.closed");
        this.fieldset.disabled = !open;
        this.submit.hidden = !open;
        this.submit.textContent = t(answer ? "polls.change" : "polls.submit");
        if (!open && this.feedback?.kind !== "error") {
            this.draft = null; // closed: the inputs show what was stored, unless a refused try is being explained
        }
        if (!this.draft) {
            this.write(answer ?? { choiceIds: [], words: [] });
        }
        this.limitChoices();
        this.showFeedback();
        this.mine.textContent = answer ? t("polls.yourAnswer", { answer: this.describe(answer) }) : "";
        this.mine.hidden = !answer;

        this.results.hidden = !(poll.resultsVisible && poll.results);
        if (!this.results.hidden) {
            const total = answersText(poll.results.total);
            if (this.resultsTotal.textContent !== total) {
                this.resultsTotal.textContent = total;
            }
            drawResults(this.resultsBody, poll, { cloudScale: 2 });
        }
    }

    /** What the inputs say now. */
    read() {
        if (this.poll.kind === "words") {
            return { choiceIds: [], words: this.inputs.map(input => input.value) };
        }
        return { choiceIds: this.inputs.filter(input => input.checked).map(input => input.value), words: [] };
    }

    write({ choiceIds, words }) {
        if (this.poll.kind === "words") {
            this.inputs.forEach((input, index) => {
                const value = words[index] ?? "";
                if (input.value !== value) {
                    input.value = value;
                }
            });
        } else {
            this.inputs.forEach(input => { input.checked = choiceIds.includes(input.value); });
        }
    }

    keepDraft() {
        this.draft = this.read();
        this.limitChoices();
    }

    /** A multiple-choice poll takes up to maxChoices: the other boxes wait until one is unticked. */
    limitChoices() {
        if (this.poll.kind !== "multiple" || this.poll.status !== "open") {
            return;
        }
        const full = this.inputs.filter(input => input.checked).length >= this.poll.maxChoices;
        this.inputs.forEach(input => { input.disabled = full && !input.checked; });
    }

    async send() {
        if (this.poll.status !== "open") {
            return;
        }
        const typed = this.read();
        const answer = this.poll.kind === "words"
            ? { choiceIds: [], words: typed.words.map(word => word.trim()).filter(word => word.length > 0) }
            : typed;
        if (answer.choiceIds.length === 0 && answer.words.length === 0) {
            this.setFeedback("error", this.poll.kind === "words" ? "polls.needWords" : "polls.needChoice");
            return;
        }
        this.draft = typed;
        this.setFeedback("info", "polls.sending");
        try {
            await this.session.answerPoll(this.poll.id, answer);
            this.draft = null; // the stored answer (cleaned, merged) now fills the inputs
            this.setFeedback("ok", "polls.sent");
        } catch (error) {
            // The draft stays in the inputs: nothing typed is lost.
            const code = errorCode(error);
            this.setFeedback("error", [`polls.error.${code}`, `error.${code}`].find(key => t(key) !== key) ?? "error.generic");
        }
    }

    setFeedback(kind, key) {
        this.feedback = { kind, key };
        this.showFeedback();
    }

    showFeedback() {
        const closed = this.poll.status !== "open";
        // Closed: say so, unless the page is explaining why the last try was refused.
        const feedback = closed && this.feedback?.kind !== "error" ? { kind: "info", key: "polls.closedNotice" } : this.feedback;
        this.status.dataset.kind = feedback?.kind ?? "";
        const text = feedback ? t(feedback.key) : "";
        if (this.status.textContent !== text) {
            this.status.textContent = text;
        }
    }

    describe(answer) {
        return this.poll.kind === "words" ? answer.words.join(", ") : choiceTexts(this.poll, answer.choiceIds).join(", ");
    }
}

function hint(poll) {
    if (poll.kind === "single") {
        return t("polls.chooseOne");
    }
    if (poll.kind === "multiple") {
        return t("polls.chooseUpTo", { max: poll.maxChoices });
    }
    return poll.maxChoices === 1 ? t("polls.oneWord", { max: maxWordLength }) : t("polls.words", { count: poll.maxChoices, max: maxWordLength });
}
