/** The one line the status tooltip says about telemetry (the full page is facts.ts, loaded with its command). */
export const TELEMETRY_SETTING_LINE =
  "Chroma's anonymized telemetry is configured on the Chroma server (ANONYMIZED_TELEMETRY), not by any client.";
