/**
 * Why a keychain call failed, from the message @napi-rs/keyring throws. The binding reports every
 * failure as a plain Error (code "GenericFailure") whose message is keyring-rs's error text, so
 * the message is all there is to go on. Measured on Linux (Secret Service, gnome-keyring 46):
 *
 *   locked login keyring, no prompter (headless):
 *     "Couldn't access platform storage: Secret Service: unlock prompt was dismissed"
 *   no keyring/collection at all (the read answers null; the write throws):
 *     "Couldn't access platform storage: Secret Service: no result found"
 *   no D-Bus session:
 *     "Platform failure: DBus error: Using X11 for dbus-daemon autolaunch was disabled …"
 *
 * macOS and Windows could not be run here; from keyring-rs's sources and Apple's
 * SecCopyErrorMessageString, a locked keychain that may not prompt (errSecInteractionNotAllowed,
 * -25308) reads "User interaction is not allowed." and a dismissed unlock dialog
 * (errSecUserCanceled, -128) "User canceled the operation."; Windows' Credential Manager has no
 * lock (ERROR_NO_SUCH_LOGON_SESSION, a session without a profile, is an absent store).
 */
export type KeychainFailure = 'locked' | 'absent';

const LOCKED = [
  /unlock prompt was dismissed/i,
  /\bprompt was dismissed\b/i,
  /\bis locked\b/i,
  /\blocked\b.*\bcollection\b|\bcollection\b.*\blocked\b/i,
  /user interaction is not allowed/i,
  /interaction ?not ?allowed/i,
  /user canceled/i,
  /\b-25308\b/,
  /\(-128\)|OSStatus -128\b/,
];

export function classifyKeychainFailure(message: string): KeychainFailure {
  return LOCKED.some((re) => re.test(message)) ? 'locked' : 'absent';
}
