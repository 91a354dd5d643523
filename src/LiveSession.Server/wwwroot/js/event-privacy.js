// The privacy page of one event, /e/{code}/privacy: the organiser's fields from the event file and the
// moments retention and the Q&A closing act on, from /e/{code}/privacy.json. Everything is set as text.
import { bindLanguageSwitch, chooseLanguage, language, onLanguageChange, setLanguage, t } from "./i18n.js";

const byId = id => document.getElementById(id);
const code = decodeURIComponent(/^\/e\/([^/]+)/.exec(location.pathname)?.[1] ?? "");
let notice = null;

await setLanguage(new URLSearchParams(location.search).get("lang") ?? chooseLanguage());
bindLanguageSwitch(byId("language"));
onLanguageChange(render);
byId("back").href = `/e/${encodeURIComponent(code)}`;
try {
    const response = await fetch(`/e/${encodeURIComponent(code)}/privacy.json`, { cache: "no-cache" });
    if (!response.ok) {
        throw new Error(`privacy.json: ${response.status}`);
    }
    notice = await response.json();
} catch {
    byId("load-error").hidden = false;
}
render();

function render() {
    if (!notice) {
        return;
    }
    document.title = `${t("privacy.title")}: ${notice.title}`;
    byId("event-title").textContent = notice.title;
    byId("organiser").textContent = notice.organiser
        ? t("eventPrivacy.organiser", { organiser: notice.organiser })
        : t("eventPrivacy.organiserNone");
    renderContact(byId("contact"));
    byId("legal-basis").textContent = notice.legalBasis ?? t("eventPrivacy.legalBasisNone");

    const purge = byId("purge");
    purge.dataset.at = notice.purgeFrom;
    purge.textContent = t("eventPrivacy.purge", { retention: duration(notice.retentionSeconds), date: moment(notice.purgeFrom) });
    const qa = byId("qa-closes");
    qa.dataset.at = notice.qaClosesAt;
    qa.textContent = t(notice.qaClosesBySelf ? "eventPrivacy.qaCloses" : "eventPrivacy.qaNotBySelf",
        { delay: duration(notice.qaClosesAfterSeconds), date: moment(notice.qaClosesAt) });
    byId("removal").textContent = t(notice.privacyContact ? "eventPrivacy.removal" : "eventPrivacy.removalInRoom");
}

function renderContact(paragraph) {
    const link = contactLink();
    if (!link) {
        paragraph.textContent = t("eventPrivacy.contactNone");
        return;
    }
    const anchor = document.createElement("a");
    anchor.id = "contact-link";
    anchor.href = link;
    anchor.rel = "noopener noreferrer";
    anchor.textContent = notice.privacyContact;
    paragraph.replaceChildren(`${t("eventPrivacy.contact")} `, anchor);
}

/** mailto: for an address, the URL itself only when it really is http(s) (the server checked it too). */
function contactLink() {
    const contact = notice.privacyContact;
    if (!contact) {
        return null;
    }
    if (notice.privacyContactKind === "email") {
        return `mailto:${contact}`;
    }
    try {
        const url = new URL(contact);
        return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
    } catch {
        return null;
    }
}

/** A moment in the event's time zone, with the zone named, in the page's language. */
function moment(instant) {
    return new Intl.DateTimeFormat(locale(), {
        timeZone: notice.timeZone, weekday: "long", day: "numeric", month: "long", year: "numeric",
        hour: "2-digit", minute: "2-digit", timeZoneName: "short",
    }).format(new Date(instant));
}

/** "30 days", "2 heures", "90 Minuten": the largest whole unit. */
function duration(seconds) {
    const [unit, size] = [["day", 86400], ["hour", 3600], ["minute", 60]].find(([, size]) => seconds % size === 0 && seconds >= size) ?? ["second", 1];
    return new Intl.NumberFormat(locale(), { style: "unit", unit, unitDisplay: "long" }).format(seconds / size);
}

function locale() {
    return (navigator.languages ?? []).find(preferred => preferred.toLowerCase().split("-")[0] === language()) ?? language();
}
