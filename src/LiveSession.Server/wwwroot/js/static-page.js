// Pages without live data (privacy, not found): translated text and the language switch.
import { bindLanguageSwitch, chooseLanguage, setLanguage } from "./i18n.js";

await setLanguage(chooseLanguage());
bindLanguageSwitch(document.getElementById("language"));
