/** Constants shared by the app wiring and the HTTP routes. */

/** The admin user name for basic auth (monitor, admin API). */
export const ADMIN_USER = "admin";

/** Inbound WebSocket frame limit, in bytes. Intents are tiny; 4 KB leaves room for future ones. */
export const MAX_PAYLOAD_BYTES = 4 * 1024;
