// UI text from /i18n/{lang}.json. The language comes from the visible switch (remembered in
// localStorage), else from the browser's preferred languages, else English.
export const languages = Object.freeze({ en: "English", fr: "Français", de: "Deutsch" });

const storageKey = "livesession.language";
let current = "en";
let messages = {};
const listeners = [];

export function chooseLanguage() {
    const remembered = safeStorage(() => localStorage.getItem(storageKey));
    if (remembered && remembered in languages) {
        return remembered;
    }
    for (const preferred of navigator.languages ?? [navigator.language]) {
        const base = (preferred ?? "").toLowerCase().split("-")[0];
        if (base in languages) {
            return base;
        }
    }
    return "en";
}

export async function setLanguage(language, { remember = false } = {}) {
    const chosen = language in languages ? language : "en";
    const response = await fetch(`/i18n/${chosen}.json`, { cache: "no-cache" });
    messages = await response.json();
    current = chosen;
    document.documentElement.lang = chosen;
    if (remember) {
        safeStorage(() => localStorage.setItem(storageKey, chosen));
    }
    translateStatic(document);
    listeners.forEach(listener => listener(chosen));
}

export function language() {
    return current;
}

export function onLanguageChange(listener) {
    listeners.push(listener);
}

/** The message for key, with {name} placeholders filled in. Missing keys show as the key, never break the page. */
export function t(key, values = {}) {
    const template = messages[key] ?? key;
    return template.replace(/\{(\w+)\}/g, (_, name) => (name in values ? String(values[name]) : `{${name}}`));
}

/**
 * A count with its noun in the page's language: key.one, key.other (and key.few, key.many where a
 * language has them), chosen by Intl.PluralRules, so French says "0 vote" and English "0 votes".
 */
export function plural(key, count) {
    const form = `${key}.${new Intl.PluralRules(current).select(count)}`;
    return t(form in messages ? form : `${key}.other`, { count });
}

/** Elements with data-i18n get their text; data-i18n-placeholder / data-i18n-label set those attributes. */
export function translateStatic(root) {
    root.querySelectorAll("[data-i18n]").forEach(element => { element.textContent = t(element.dataset.i18n); });
    root.querySelectorAll("[data-i18n-placeholder]").forEach(element => { element.placeholder = t(element.dataset.i18nPlaceholder); });
    root.querySelectorAll("[data-i18n-label]").forEach(element => { element.setAttribute("aria-label", t(element.dataset.i18nLabel)); });
    if (root.querySelector("title[data-i18n]")) {
        document.title = t(root.querySelector("title[data-i18n]").dataset.i18n);
    }
}

/** Fills a <select> with the languages and switches (and remembers) on change. */
export function bindLanguageSwitch(select) {
    select.replaceChildren(...Object.entries(languages).map(([code, name]) => {
        const option = document.createElement("option");
        option.value = code;
        option.textContent = name;
        option.lang = code;
        return option;
    }));
    select.value = current;
    select.addEventListener("change", () => setLanguage(select.value, { remember: true }));
    onLanguageChange(chosen => { select.value = chosen; });
}

/** The browser's own variant of the page's language (en-GB rather than en), for dates and times. */
function formatLocale() {
    return (navigator.languages ?? []).find(preferred => preferred.toLowerCase().split("-")[0] === current) ?? current;
}

/** Time of day in the event's time zone, in the page's language ("17:15", en-US "5:15 PM"). */
export function formatTime(instant, timeZone) {
    return new Intl.DateTimeFormat(formatLocale(), { timeZone, hour: "numeric", minute: "2-digit" }).format(new Date(instant));
}

/** The event's time zone by name in the page's language ("Central European Time"), else its id. */
export function formatZone(instant, timeZone) {
    try {
        const parts = new Intl.DateTimeFormat(formatLocale(), { timeZone, timeZoneName: "longGeneric" }).formatToParts(new Date(instant));
        return parts.find(part => part.type === "timeZoneName")?.value ?? timeZone;
    } catch {
        return timeZone;
    }
}

export function formatDate(instant, timeZone) {
    return new Intl.DateTimeFormat(formatLocale(), { timeZone, weekday: "long", day: "numeric", month: "long", year: "numeric" }).format(new Date(instant));
}

function safeStorage(action) {
    try {
        return action();
    } catch {
        return null; // storage disabled (private mode, policy): the page still works, it just does not remember
    }
}
