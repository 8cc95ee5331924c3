/** Loopback only: the Node update engine exists to show and test the updater, never to fetch from the network. */
export const LOOPBACK_FEED = /^http:\/\/(127\.0\.0\.1|\[::1\]):\d{1,5}\/$/;
