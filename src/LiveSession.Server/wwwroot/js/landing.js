// The landing page at /: join an event by its code. /join does the work (it also works without
// this script); this only translates the page and says which code was not found.
import { bindLanguageSwitch, chooseLanguage, onLanguageChange, setLanguage, t } from "./i18n.js";

const unknown = document.getElementById("unknown");
const tried = new URLSearchParams(location.search).get("unknown");

function showUnknown() {
    if (tried) {
        // textContent: the code comes from the address bar, never markup.
        unknown.textContent = t("landing.unknown", { code: tried.slice(0, 64) });
        unknown.hidden = false;
        document.getElementById("code").value = tried.slice(0, 200);
    }
}

await setLanguage(chooseLanguage());
bindLanguageSwitch(document.getElementById("language"));
showUnknown();
onLanguageChange(showUnknown);
