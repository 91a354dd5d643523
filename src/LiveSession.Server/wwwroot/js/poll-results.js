// Poll results as the attendee page, the room screen and the overlay draw them: a table with a bar,
// the count and the share per choice (read as a table by screen readers), or a word cloud whose
// words are text sized by their count. Updated in place, so bars move instead of flashing, and
// everything user-written goes in as textContent with dir="auto".
import { element } from "./live-view.js";
import { plural, t } from "./i18n.js";

/** Whole-number share of the answers; 0 when nobody answered yet. */
export function share(count, total) {
    return total > 0 ? Math.round((count * 100) / total) : 0;
}

export function answersText(total) {
    return plural("polls.answers", total);
}

/** The choices' texts for choice ids, in the poll's order. */
export function choiceTexts(poll, choiceIds) {
    return poll.choices.filter(choice => choiceIds.includes(choice.id)).map(choice => choice.text);
}

/**
 * Draws poll's results into container (replacing what is not a drawing of the same poll):
 * a results table for choices, a word cloud for words. {@link poll}.results must be set.
 */
export function drawResults(container, poll, { cloudScale = 2.2 } = {}) {
    const results = poll.results ?? { total: 0, counts: {}, words: [] };
    if (poll.kind === "words") {
        drawWordCloud(container, results.words ?? [], cloudScale);
    } else {
        drawTable(container, poll, results);
    }
    container.dataset.total = String(results.total);
}

function drawTable(container, poll, results) {
    let table = container.querySelector(":scope > table.poll-table");
    const key = poll.choices.map(choice => `${choice.id}\u0000${choice.text}`).join("\u0001");
    if (!table || table.dataset.key !== key || table.dataset.language !== document.documentElement.lang) {
        table = element("table", { className: "poll-table", attrs: { "data-key": key, "data-language": document.documentElement.lang } });
        const head = element("tr");
        head.append(
            element("th", { text: t("polls.choice"), attrs: { scope: "col" } }),
            element("th", { text: t("polls.count"), attrs: { scope: "col" } }),
            element("th", { text: t("polls.share"), attrs: { scope: "col" } }));
        const thead = element("thead");
        thead.append(head);
        const body = element("tbody");
        for (const choice of poll.choices) {
            const row = element("tr", { attrs: { "data-choice-id": choice.id } });
            const label = element("th", { attrs: { scope: "row" } });
            const bar = element("span", { className: "poll-bar", attrs: { "aria-hidden": "true" } });
            bar.append(element("span", { className: "poll-bar-fill" }));
            label.append(element("span", { className: "poll-choice", text: choice.text, attrs: { dir: "auto" } }), bar);
            row.append(label, element("td", { className: "poll-count" }), element("td", { className: "poll-share" }));
            body.append(row);
        }
        table.append(thead, body);
        container.replaceChildren(table);
    }
    const top = Math.max(0, ...poll.choices.map(choice => results.counts?.[choice.id] ?? 0));
    for (const row of table.tBodies[0].rows) {
        const count = results.counts?.[row.dataset.choiceId] ?? 0;
        const percent = share(count, results.total);
        setText(row.querySelector(".poll-count"), String(count));
        setText(row.querySelector(".poll-share"), `${percent}%`);
        row.dataset.count = String(count);
        row.dataset.leading = String(count > 0 && count === top);
        row.querySelector(".poll-bar-fill").style.width = `${percent}%`;
    }
}

/** Words as text, largest in the middle, sized by the square root of their count. */
function drawWordCloud(container, words, scale) {
    const sorted = [...words].sort((a, b) => b.count - a.count || a.text.localeCompare(b.text));
    const middleOut = [];
    sorted.forEach((word, index) => (index % 2 === 0 ? middleOut.push(word) : middleOut.unshift(word)));
    const top = Math.sqrt(sorted[0]?.count ?? 1);
    const list = element("ul", { className: "word-cloud" });
    list.append(...middleOut.map(word => {
        const item = element("li", { className: "word", attrs: { "data-count": String(word.count) } });
        item.style.fontSize = `${(1 + (scale - 1) * (Math.sqrt(word.count) / top)).toFixed(2)}em`;
        item.append(
            element("span", { className: "word-text", text: word.text, attrs: { dir: "auto" } }),
            element("span", { className: "word-count", text: ` ${word.count}` }));
        return item;
    }));
    container.replaceChildren(list);
}

/** The choices alone, for a poll whose results are hidden. */
export function drawChoices(container, poll) {
    const list = element("ol", { className: "poll-choices" });
    list.append(...poll.choices.map(choice => element("li", { text: choice.text, attrs: { dir: "auto", "data-choice-id": choice.id } })));
    container.replaceChildren(list);
}

/** Writes only when the text changes: a live region then announces what changed, not everything. */
function setText(node, text) {
    if (node.textContent !== text) {
        node.textContent = text;
    }
}
