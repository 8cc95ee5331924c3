/**
 * How big one request may be, decided once. The contract's limits on what a request holds and the
 * browser host's WebSocket frame limit are both derived from here, so every request the contract
 * accepts fits in one frame, and a request the contract refuses still arrives and gets a typed
 * `invalid_input` reply instead of a dropped socket.
 */

/** The root: total characters across one AI request's messages (~250k tokens, beyond any model we route to). */
export const MAX_PROMPT_CHARS = 1_000_000;
export const MAX_MESSAGE_CHARS = 200_000;
export const MAX_MESSAGES = 200;
/**
 * A structured-output schema, as JSON text (escapes already counted, so at most 3 bytes of UTF-8
 * per character): 36 KB at worst, inside the frame envelope below with the rest of the request.
 */
export const MAX_SCHEMA_CHARS = 12_000;

/** Routing is small by nature (campaign types × purposes); bounded so a routing policy always fits a frame. */
export const MAX_ROUTES = 64;
export const MAX_ROUTE_KEY_CHARS = 64;

/**
 * JSON spends at most 6 bytes on one UTF-16 code unit: a control character or a lone surrogate
 * becomes `\u001f`. Everything else costs at most 3 bytes of UTF-8 per code unit.
 */
export const JSON_WORST_BYTES_PER_CHAR = 6;

/**
 * Room for everything in a request frame besides the prompt text (id, method, the other fields,
 * each message's `{"role":…,"content":…}`). The worst case is about 10 KiB; a unit test builds it.
 */
export const FRAME_ENVELOPE_BYTES = 64 * 1024;

/** The browser host's WebSocket `maxPayload`: the worst-case JSON of the largest valid request. */
export const MAX_FRAME_BYTES = MAX_PROMPT_CHARS * JSON_WORST_BYTES_PER_CHAR + FRAME_ENVELOPE_BYTES;

/** The longest range a cost breakdown or series covers, in local days (three years and a leap day). */
export const MAX_COST_RANGE_DAYS = 1_096;
/** Campaign, operator and other ids a cost filter may name. */
export const MAX_COST_ID_CHARS = 128;
